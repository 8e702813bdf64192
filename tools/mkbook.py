#!/usr/bin/env python3
"""tools/mkbook.py: build docs/ into a short HTML book (make docs).

    mkbook.py [ORDER [OUTDIR]]          (make docs: docs/book.txt build/book)

ORDER lists the chapters in reading order, in parts, with the labs that go
with each chapter (its format is at the top of docs/book.txt). Every
labs/NAME/README.md that exists becomes a chapter of a last part, Labs,
and every chapter whose lab exists ends with a link to it; a lab that does
not exist yet is left out without complaint.

pandoc reads each chapter (GitHub's Markdown, so the anchors are GitHub's)
into its JSON tree; this tool rewrites the links in the tree: a link to
another chapter goes to its page, an image is copied into OUTDIR/img/, a
link to any other file of the tree points back at the file (../../path
from build/book/); it adds the lab links and the previous/contents/next
bar, and pandoc writes the page. OUTDIR/index.html is the table of
contents: the parts, the chapters and their sections.

Before anything is built, tools/checklinks.py checks the Markdown; after,
it checks every link and anchor of the pages written. A broken one, a
chapter missing from ORDER or a file ORDER names that does not exist makes
the tool exit 1. Needs pandoc (tools/deps.sh docs installs it).
"""
import glob
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile

import checklinks

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
CSS = "docs/book.css"


class Chapter:
    """One page of the book: its source, its page name, part and labs."""

    def __init__(self, src, part, labs=()):
        self.src, self.part, self.labs = src, part, list(labs)
        if src == "README.md":
            self.out = "introduction.html"
        elif src.startswith("labs/"):
            self.out = f"lab-{src.split('/')[1]}.html"
        else:
            self.out = os.path.splitext(os.path.basename(src))[0] + ".html"
        self.ast = self.title = self.anchor = None
        self.home = None            # the chapter a lab belongs to


def fail(msg):
    """Stop the build with msg."""
    sys.exit(f"mkbook: {msg}")


# --- the order file ------------------------------------------------------

def read_order(path):
    """(title, [Chapter]) from the order file; the Labs part included."""
    title, part, chapters, lab_order = "Pagoda", None, [], []
    for n, line in enumerate(open(path), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, rest = line.partition(":")
        if key in ("title", "part", "labs") and rest:
            if key == "title":
                title = rest.strip()
            elif key == "part":
                part = rest.strip()
            else:
                lab_order = rest.split()
            continue
        src, _, labs = line.partition("lab:")
        src = src.strip()
        if part is None:
            fail(f"{path}:{n}: a chapter before the first part:")
        if not os.path.isfile(os.path.join(ROOT, src)):
            fail(f"{path}:{n}: no such file {src}")
        chapters.append(Chapter(src, part, [l.strip() for l in labs.split(",") if l.strip()]))
    listed = {c.src for c in chapters}
    missing = [f"docs/{f}" for f in sorted(os.listdir(os.path.join(ROOT, "docs")))
               if f.endswith(".md") and f"docs/{f}" not in listed]
    if missing:
        fail(f"{path} leaves out {', '.join(missing)}: every docs page is a chapter")
    return title, chapters + lab_chapters(chapters, lab_order)


def lab_chapters(chapters, order):
    """A chapter for each labs/NAME/README.md that exists, in the order given,
    then the rest by name; each lab learns the chapter it belongs to."""
    have = sorted(os.path.basename(os.path.dirname(p))
                  for p in glob.glob(os.path.join(ROOT, "labs", "*", "README.md")))
    names = [n for n in order if n in have] + [n for n in have if n not in order]
    labs = [Chapter(f"labs/{n}/README.md", "Labs") for n in names]
    for lab in labs:
        name = lab.src.split("/")[1]
        lab.home = next((c for c in chapters if name in c.labs), None)
    for c in chapters:
        c.labs = [n for n in c.labs if n in names]
    return labs


# --- pandoc's tree -------------------------------------------------------

def pandoc(args, stdin=None):
    """pandoc's output for args; stops the build if pandoc fails."""
    r = subprocess.run(["pandoc"] + args, input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"pandoc {' '.join(args)}: {r.stderr.strip()}")
    return r.stdout


def words(s):
    """Pandoc inlines for plain text s."""
    out = []
    for i, w in enumerate(s.split(" ")):
        if i:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": w})
    return out


def link(inlines, url):
    """A pandoc link to url showing inlines."""
    return {"t": "Link", "c": [["", [], []], inlines, [url, ""]]}


def plain_text(inlines):
    """The text of inlines, formatting dropped."""
    out = []
    for x in inlines:
        if x["t"] == "Str":
            out.append(x["c"])
        elif x["t"] in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif x["t"] == "Code":
            out.append(x["c"][1])
        elif x["t"] in ("Emph", "Strong", "Strikeout", "SmallCaps"):
            out.append(plain_text(x["c"]))
        elif x["t"] in ("Link", "Span"):
            out.append(plain_text(x["c"][1]))
    return "".join(out)


def unlinked(inlines):
    """inlines with every link replaced by its text (a link may not hold a link)."""
    return [{"t": "Span", "c": [["", [], []], x["c"][1]]} if x["t"] == "Link" else x
            for x in inlines]


def headers(blocks, level):
    """[(id, inlines)] of the headers of the given level at the top of blocks."""
    return [(b["c"][1][0], b["c"][2]) for b in blocks
            if b["t"] == "Header" and b["c"][0] == level]


def walk(node, fn):
    """Call fn on every Link and Image of the tree."""
    if isinstance(node, dict):
        if node.get("t") in ("Link", "Image"):
            fn(node)
        for v in node.values():
            walk(v, fn)
    elif isinstance(node, list):
        for v in node:
            walk(v, fn)


# --- links ---------------------------------------------------------------

def retarget(chapter, pages, outdir):
    """A function rewriting one Link or Image of chapter for the book."""
    srcdir = os.path.dirname(chapter.src)

    def fn(node):
        target = node["c"][2]
        url = target[0]
        if not url or url.startswith("#") or ":" in url.split("/")[0]:
            return
        path, _, frag = url.partition("#")
        rel = os.path.normpath(os.path.join(srcdir, path))
        if rel in pages:
            new = pages[rel]
        elif node["t"] == "Image":
            new = os.path.join("img", rel)
            os.makedirs(os.path.dirname(os.path.join(outdir, new)), exist_ok=True)
            if os.path.isfile(os.path.join(ROOT, rel)):
                shutil.copyfile(os.path.join(ROOT, rel), os.path.join(outdir, new))
        else:
            new = os.path.relpath(os.path.join(ROOT, rel), os.path.abspath(outdir))
        target[0] = new + (f"#{frag}" if frag else "")
    return fn


def take_title(c):
    """The chapter's first header of level 1 becomes its title: the page shows
    it above the chapter's contents, and an empty div keeps its anchor."""
    blocks = c.ast["blocks"]
    i = next((i for i, b in enumerate(blocks) if b["t"] == "Header" and b["c"][0] == 1), None)
    if i is None:
        c.title, c.anchor = words(c.src), None
        return
    c.title, c.anchor = blocks[i]["c"][2], blocks[i]["c"][1][0]
    blocks[i] = {"t": "Div", "c": [[c.anchor, [], []], []]}
    c.ast["meta"]["title"] = {"t": "MetaInlines", "c": c.title}


def lab_blocks(chapter, by_src):
    """The blocks that end a chapter: its labs, or for a lab, its chapter."""
    if chapter.labs:
        items = [[{"t": "Plain", "c": [link(unlinked(by_src[f"labs/{n}/README.md"].title),
                                             f"lab-{n}.html")]}] for n in chapter.labs]
        return [{"t": "Header", "c": [2, ["book-lab", [], []], words("Lab")]},
                {"t": "Para", "c": words("What to build on this chapter, with a grader:")},
                {"t": "BulletList", "c": items}]
    if chapter.home:
        return [{"t": "Header", "c": [2, ["book-chapter", [], []], words("Its chapter")]},
                {"t": "Para", "c": words("This lab goes with the chapter ")
                 + [link(unlinked(chapter.home.title), chapter.home.out),
                    {"t": "Str", "c": "."}]}]
    return []


def nav(chapters, i):
    """The bar of links to the previous page, the contents and the next page."""
    def a(c, text):
        return f'<a href="{c.out}">{html.escape(text)}</a>'
    prev = a(chapters[i - 1], "← " + plain_text(chapters[i - 1].title)) if i > 0 else ""
    nxt = (a(chapters[i + 1], plain_text(chapters[i + 1].title) + " →")
           if i + 1 < len(chapters) else "")
    return (f'<nav class="book-nav"><span>{prev}</span><a href="index.html">Contents</a>'
            f'<span>{nxt}</span></nav>\n')


# --- pages ---------------------------------------------------------------

def write_page(ast, out, pagetitle, tmp, before="", toc=True):
    """pandoc writes ast as the HTML page out."""
    bar = os.path.join(tmp, "nav.html")
    with open(bar, "w") as f:
        f.write(before)
    args = ["-f", "json", "-t", "html5", "--standalone", "--css", "book.css",
            "-M", f"pagetitle={pagetitle}", "-M", "lang=en", "-o", out]
    if before:
        args += ["--include-before-body", bar, "--include-after-body", bar]
    if toc:
        args += ["--toc", "--toc-depth=2", "-M", "toc-title=On this page"]
    pandoc(args, json.dumps(ast))


def contents(title, chapters, api, where=lambda c, anchor: c.out + (f"#{anchor}" if anchor else "")):
    """The tree of index.html: the parts, their chapters, the sections;
    where(chapter, anchor) gives a link's target."""
    blocks = [{"t": "Header", "c": [1, ["book-title", ["book-title"], []], words(title)]},
              {"t": "Para", "c": words("Built by make docs from the pages in docs/, in the "
                                       "order docs/book.txt gives.")}]
    part, items, number = None, None, 1
    for c in chapters:
        if c.part != part:
            part, items = c.part, []
            blocks.append({"t": "Header", "c": [2, ["part-" + checklinks.slug(part), [], []],
                                                 words(part)]})
            blocks.append({"t": "BulletList", "c": items})
        secs = [[{"t": "Plain", "c": [link(unlinked(ins), where(c, hid))]}]
                for hid, ins in headers(c.ast["blocks"], 2)]
        item = [{"t": "Plain", "c": [{"t": "Str", "c": f"{number}."}, {"t": "Space"},
                                     link(unlinked(c.title), where(c, None))]}]
        items.append(item + ([{"t": "BulletList", "c": secs}] if secs else []))
        number += 1
    return {"pandoc-api-version": api, "meta": {},
            "blocks": [{"t": "Div", "c": [["", ["contents"], []], blocks]}]}


# --- the whole book on one page, for the PDF -----------------------------

def stem(c):
    """Chapter c's page name without .html: the prefix of its ids on one page."""
    return os.path.splitext(c.out)[0]


def print_target(c, anchor):
    """Where a link to anchor of chapter c goes on the one page."""
    return f"#{stem(c)}--{anchor}" if anchor else f"#{stem(c)}"


def one_page(c, by_out):
    """A function making chapter c's tree fit the one page: ids prefixed with
    the chapter, links into the book turned into links within the page."""
    def fn(node):
        t = node.get("t") if isinstance(node, dict) else None
        if t in ("Header", "Div", "Span"):
            attr = node["c"][1] if t == "Header" else node["c"][0]
            if attr[0]:
                attr[0] = f"{stem(c)}--{attr[0]}"
        if t == "Header":
            node["c"][0] = min(6, node["c"][0] + 1)
        if t == "Link":
            url = node["c"][2][0]
            page, _, frag = url.partition("#")
            if url.startswith("#"):
                node["c"][2][0] = print_target(c, frag)
            elif page == "index.html":
                node["c"][2][0] = "#book-title"
            elif page in by_out:
                node["c"][2][0] = print_target(by_out[page], frag)
        for v in (node.values() if isinstance(node, dict) else node):
            if isinstance(v, (dict, list)):
                fn(v)
    return fn


def print_book(title, chapters, api):
    """The tree of print.html: the contents, then every chapter, a part
    heading before each part's first chapter."""
    book = contents(title, chapters, api, print_target)
    by_out = {c.out: c for c in chapters}
    part = None
    for c in chapters:
        if c.part != part:
            part = c.part
            book["blocks"].append({"t": "Header", "c": [1, ["print-part-" + checklinks.slug(part),
                                                            ["part"], []], words(part)]})
        blocks = json.loads(json.dumps(c.ast["blocks"]))
        one_page(c, by_out)(blocks)
        book["blocks"].append({"t": "Header", "c": [2, [stem(c), ["chapter"], []], c.title]})
        book["blocks"] += blocks
    return book


def write_pdf(outdir):
    """weasyprint turns print.html into pagoda.pdf."""
    r = subprocess.run(["weasyprint", "print.html", "pagoda.pdf"], cwd=outdir,
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"weasyprint: {r.stderr.strip()[-500:]}")


def build(order, outdir):
    """Check the Markdown, then write every page into outdir; the chapters."""
    title, chapters = read_order(order)
    problems = []
    for c in chapters:
        problems += checklinks.check(os.path.join(ROOT, c.src),
                                     checklinks.md_links(os.path.join(ROOT, c.src)),
                                     checklinks.md_anchors_of)
    if problems:
        print("\n".join(problems))
        fail(f"{len(problems)} broken links in the Markdown")
    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(outdir)
    shutil.copyfile(os.path.join(ROOT, CSS), os.path.join(outdir, "book.css"))
    for c in chapters:
        c.ast = json.loads(pandoc(["-f", "gfm", "-t", "json", os.path.join(ROOT, c.src)]))
        take_title(c)
    pages = {c.src: c.out for c in chapters}
    by_src = {c.src: c for c in chapters}
    with tempfile.TemporaryDirectory() as tmp:
        for i, c in enumerate(chapters):
            walk(c.ast, retarget(c, pages, outdir))
            c.ast["blocks"] += lab_blocks(c, by_src)
            write_page(c.ast, os.path.join(outdir, c.out),
                       f"{plain_text(c.title)} · {title}", tmp, nav(chapters, i))
        api = chapters[0].ast["pandoc-api-version"]
        write_page(contents(title, chapters, api), os.path.join(outdir, "index.html"), title,
                   tmp, toc=False)
        write_page(print_book(title, chapters, api), os.path.join(outdir, "print.html"), title,
                   tmp, toc=False)
    return chapters


def main(argv):
    """Build the book and check its links; the PDF too unless --no-pdf."""
    pdf = "--no-pdf" not in argv
    argv = [a for a in argv if a != "--no-pdf"]
    order = argv[0] if argv else os.path.join(ROOT, "docs", "book.txt")
    outdir = argv[1] if len(argv) > 1 else os.path.join(ROOT, "build", "book")
    for tool in ("pandoc",) + (("weasyprint",) if pdf else ()):
        if not shutil.which(tool):
            fail(f"needs {tool}: sh tools/deps.sh docs installs it")
    chapters = build(order, outdir)
    labs = sum(1 for c in chapters if c.part == "Labs")
    if checklinks.main(["--html", outdir]):
        fail(f"broken links in the book in {outdir}")
    print(f"mkbook: {outdir}/index.html: {len(chapters) - labs} chapters, {labs} labs, "
          "every link checked")
    if pdf:
        write_pdf(outdir)
        print(f"mkbook: {outdir}/pagoda.pdf: the whole book, from print.html")


if __name__ == "__main__":
    main(sys.argv[1:])

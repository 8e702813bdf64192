#!/usr/bin/env python3
"""tools/checklinks.py: refuse a broken link in the docs or in the built book.

    checklinks.py [--root DIR] [FILE.md ...]    the Markdown sources (make test)
    checklinks.py --html DIR                    the book's HTML pages (make docs)

Markdown mode checks README.md, docs/*.md and labs/*/README.md under the
root (or the files named): every relative link and image, inline
(`[text](target)`), by reference (`[name]: target`) or in HTML (`href=`,
`src=`), must name a file or folder that exists, and a `#fragment` must
name a heading of the target Markdown file (by GitHub's rule: lower case,
punctuation dropped, spaces to hyphens, a -1, -2 suffix for repeats) or an
`id`/`name` given in HTML there. Links inside code (fenced blocks, `code
spans`) are not links and are skipped; so are links with a scheme
(https:, mailto:). HTML mode does the same for every .html file under DIR,
with the fragments taken from the pages' `id` and `name` attributes.

Prints one line per broken link (file:line: target: why) and exits 1 if
there was one; quiet and 0 otherwise. No network, standard library only.
"""
import glob
import html.parser
import os
import re
import sys
import urllib.parse

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
INLINE = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HTMLREF = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']*)["']""")
HTMLID = re.compile(r"""<[a-zA-Z][^>]*\b(?:id|name)\s*=\s*["']([^"']+)["']""")
CODESPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def slug(heading):
    """GitHub's anchor for a heading's text (Markdown marks removed first)."""
    t = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)      # links: keep the text
    t = re.sub(r"<[^>]+>", "", t).replace("`", "").lower()
    t = re.sub(r"[^\w\- ]", "", t)
    return t.replace(" ", "-")


def md_lines(path):
    """(line number, text with code spans blanked, text) of path's lines outside
    fenced code."""
    out, fence = [], None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = FENCE.match(line)
            if m:
                mark = m.group(1)
                if fence is None:
                    fence = mark
                elif mark[0] == fence[0] and len(mark) >= len(fence):
                    fence = None
                continue
            if fence is None:
                line = line.rstrip("\n")
                out.append((n, CODESPAN.sub(lambda c: " " * len(c.group(0)), line), line))
    return out


def md_anchors(path):
    """The fragments a link into the Markdown file path may name."""
    seen, out = {}, set()
    for _, line, raw in md_lines(path):
        out.update(HTMLID.findall(line))
        m = HEADING.match(raw)
        if not m:
            continue
        s = slug(m.group(2))
        k = seen.get(s, 0)
        seen[s] = k + 1
        out.add(s if k == 0 else f"{s}-{k}")
    return out


def md_links(path):
    """[(line number, target)] of every link and image in the Markdown file path."""
    out = []
    for n, line, _ in md_lines(path):
        out += [(n, t) for t in INLINE.findall(line)]
        m = REFDEF.match(line)
        if m:
            out.append((n, m.group(1)))
        out += [(n, t) for t in HTMLREF.findall(line)]
    return out


class Page(html.parser.HTMLParser):
    """The ids and the links (line, target) of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "id" or (k == "name" and tag == "a"):
                self.ids.add(v)
            elif k in ("href", "src") and v is not None:
                self.links.append((self.getpos()[0], v))


def html_page(path, cache={}):
    """The parsed page path (each page parsed once)."""
    if path not in cache:
        p = Page()
        with open(path, encoding="utf-8") as f:
            p.feed(f.read())
        cache[path] = p
    return cache[path]


def check(path, links, anchors_of):
    """The problems of path's links; anchors_of(file) gives the fragments of a file."""
    problems, shown = [], os.path.relpath(path)
    for n, target in links:
        if not target or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
            continue        # empty, or with a scheme: not this tool's business
        where, _, frag = target.partition("#")
        where = urllib.parse.unquote(where.split("?")[0])
        dest = os.path.normpath(os.path.join(os.path.dirname(path), where)) if where else path
        if not os.path.exists(dest):
            problems.append(f"{shown}:{n}: {target}: no such file")
            continue
        frag = urllib.parse.unquote(frag)
        if frag and os.path.isfile(dest):
            anchors = anchors_of(dest)
            if anchors is not None and frag not in anchors:
                problems.append(f"{shown}:{n}: {target}: no anchor #{frag} in "
                                f"{os.path.relpath(dest)}")
    return problems


def md_anchors_of(dest):
    """The anchors of a Markdown file; None (unchecked) for other files."""
    return md_anchors(dest) if dest.endswith(".md") else None


def html_anchors_of(dest):
    """The anchors of an HTML page; None (unchecked) for other files."""
    return html_page(dest).ids if dest.endswith(".html") else None


def md_files(root):
    """README.md, docs/*.md and labs/*/README.md under root."""
    files = [os.path.join(root, "README.md")]
    files += sorted(glob.glob(os.path.join(root, "docs", "*.md")))
    files += sorted(glob.glob(os.path.join(root, "labs", "*", "README.md")))
    return [f for f in files if os.path.exists(f)]


def main(argv):
    """Check the files the arguments name; 1 if a link is broken."""
    root, files, html_dir = ".", [], None
    while argv:
        a = argv.pop(0)
        if a == "--root":
            root = argv.pop(0)
        elif a == "--html":
            html_dir = argv.pop(0)
        else:
            files.append(a)
    problems, count = [], 0
    if html_dir:
        for dirpath, _, names in sorted(os.walk(html_dir)):
            for name in sorted(names):
                if name.endswith(".html"):
                    path = os.path.join(dirpath, name)
                    problems += check(path, html_page(path).links, html_anchors_of)
                    count += 1
    else:
        for path in files or md_files(root):
            problems += check(path, md_links(path), md_anchors_of)
            count += 1
    for p in problems:
        print(p)
    if problems:
        print(f"checklinks: {len(problems)} broken links in {count} files")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

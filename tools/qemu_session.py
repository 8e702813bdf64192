"""tools/qemu_session.py: boot Pagoda in QEMU and type commands at its
shell, each when the shell prompts, as a person would. Used by
tools/xv6check.py (xv6's sh) and tools/check_transcripts.py (Pagoda's)."""
import os
import select
import subprocess
import time


def session(kernel, disks, commands, cmdline="", mem=128, timeout=300, prompt=b"$ ", extra=()):
    """Boot with disks (root first; the others snapshot=on), type each command
    when a prompt has appeared since the last one, and stop once the shell
    prompts after the last. Returns (console text, [output of each command:
    what came between typing it and the next prompt, less the echo of the
    typed line], timed out). extra: more QEMU arguments (a swap disk)."""
    cmd = ["qemu-system-i386", "-m", str(mem), "-display", "none", "-nic", "none",
           "-no-reboot", "-kernel", kernel, "-append", cmdline, "-serial", "stdio",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    for i, d in enumerate(disks):
        cmd += ["-drive", f"file={d},format=raw,if=ide,index={i}" + (",snapshot=on" if i else "")]
    cmd += list(extra)
    q = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out, todo, finished, seen, starts = b"", list(commands), False, 0, []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([q.stdout], [], [], 1)
        if not ready:
            continue
        chunk = os.read(q.stdout.fileno(), 65536)
        if not chunk:
            break
        out += chunk
        # a new prompt since the last command (late output may follow it)
        if out.find(prompt, seen) >= 0:
            if starts:
                starts[-1] = (starts[-1][0], out.find(prompt, seen))
            if not todo:
                finished = True
                break
            seen = len(out)
            starts.append((seen, None))
            q.stdin.write(todo.pop(0).encode() + b"\n")
            q.stdin.flush()
    q.kill()
    q.wait()
    outputs = []
    for a, b in starts:
        text = out[a:b if b is not None else len(out)].decode("utf-8", "replace")
        lines = text.replace("\r", "").split("\n")
        outputs.append(lines[1:-1] if len(lines) > 1 else [])	# the echo; the prompt's line
    return out.decode("utf-8", "replace").replace("\r", ""), outputs, not finished

#!/usr/bin/python3
"""check_svg.py FILE.svg PAGES TEXT... - is the report's SVG well formed, A4
pages stacked PAGES high, with every TEXT in its <title> or <desc>?

Called by the paper report's Check tests (tests/report/test_paper.c): it
parses the file with Python's own XML parser, an implementation independent
of cairo.  Prints one line and exits 1 on the first problem, 0 when all hold.
"""
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def main(argv):
    if len(argv) < 3:
        print("usage: check_svg.py FILE.svg PAGES TEXT...")
        return 2
    path, pages, texts = argv[1], int(argv[2]), argv[3:]
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        print(f"{path}: not well-formed XML: {e}")
        return 1
    if root.tag != SVG + "svg":
        print(f"{path}: root element is {root.tag}, expected {SVG}svg")
        return 1
    want_w, want_h = "210mm", f"{297 * pages}mm"
    if root.get("width") != want_w or root.get("height") != want_h:
        print(f"{path}: size {root.get('width')} x {root.get('height')}, "
              f"expected {want_w} x {want_h}")
        return 1
    title = root.find(SVG + "title")
    desc = root.find(SVG + "desc")
    if title is None or desc is None:
        print(f"{path}: no <title> or <desc> under the root")
        return 1
    words = (title.text or "") + "\n" + (desc.text or "")
    for t in texts:
        if t not in words:
            print(f"{path}: text {t!r} not in <title>/<desc>")
            return 1
    drawn = sum(1 for _ in root.iter(SVG + "path")) + sum(1 for _ in root.iter(SVG + "use"))
    if drawn < 100:
        print(f"{path}: only {drawn} path/use elements, expected a drawn report")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

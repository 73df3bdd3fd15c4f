#!/usr/bin/env python3
"""trim-capture.py - make a committable excerpt of a saved pricing page or feed.

Keeps the markup, model names and prices an extractor reads; drops scripts,
styles, images, navigation and long prose, so that a capture can live in
the repository (db/captures/, tests/fixtures/) without the page's text.

    scripts/trim-capture.py IN OUT          # .html / .htm / .json / .md
The extractor must give the same prices on IN and OUT: check with
`tokentrend scrape --source ID --file OUT --date DATE` on a scratch database.
"""
import html
import json
import sys
from html.parser import HTMLParser

DROP = {"script", "style", "svg", "noscript", "iframe", "template", "link", "meta", "img",
        "picture", "video", "source", "nav", "footer", "form", "button", "path", "canvas",
        "audio", "object", "embed"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
DROP_ATTRS = {"style", "srcset", "sizes", "onclick", "onload", "ssr", "client",
              "opts", "component-url", "renderer-url", "before-hydration-url", "aria-label",
              "aria-hidden", "aria-expanded", "aria-controls", "tabindex", "role-description",
              "href", "src", "target", "rel", "jsaction", "jscontroller", "jsname", "jslog"}
PROSE_LEN = 100


def pricey(text):
    return "$" in text or "\u20ac" in text or "\u5143" in text or "MTok" in text


class Trim(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out = []
        self.drop_depth = 0
        self.stack = []
        self.table_depth = 0

    def handle_decl(self, decl):
        self.out.append("<!%s>" % decl)

    def handle_starttag(self, tag, attrs):
        if self.drop_depth or tag in DROP:
            if tag not in VOID:
                self.drop_depth += 1
            return
        keep = [(k, v) for k, v in attrs if k not in DROP_ATTRS and not k.startswith("on")]
        a = "".join(' %s="%s"' % (k, html.escape(v or "", quote=True)) if v is not None else " " + k
                    for k, v in keep)
        self.out.append("<%s%s>" % (tag, a))
        if tag == "table":
            self.table_depth += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.drop_depth and self.stack and self.stack[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.drop_depth:
            if tag not in VOID:
                self.drop_depth -= 1
            return
        if tag in VOID:
            return
        if tag == "table" and self.table_depth:
            self.table_depth -= 1
        if tag in self.stack:
            while self.stack:
                t = self.stack.pop()
                self.out.append("</%s>" % t)
                if t == tag:
                    break

    def handle_data(self, data):
        if self.drop_depth:
            return
        t = data.strip()
        if not self.table_depth and len(t) > PROSE_LEN and not pricey(t):
            return  # prose
        self.out.append(data if t else (" " if data else ""))

    def handle_entityref(self, name):
        if not self.drop_depth:
            self.out.append("&%s;" % name)

    def handle_charref(self, name):
        if not self.drop_depth:
            self.out.append("&#%s;" % name)

    def handle_comment(self, data):
        # Keep short comments (Webflow's "Last Published" stamp), drop the rest.
        if not self.drop_depth and len(data) < 120 and "Published" in data:
            self.out.append("<!--%s-->" % data)


def trim_html(text):
    p = Trim()
    p.feed(text)
    p.close()
    return "".join(p.out) + "\n"


KEEP_MODEL_KEYS = ("id", "name", "created", "context_length", "architecture", "pricing")


def trim_json(text):
    doc = json.loads(text)
    # An OpenRouter-style feed: keep each model's id, name and prices only.
    if isinstance(doc, dict) and isinstance(doc.get("data"), list):
        doc["data"] = [{k: m[k] for k in KEEP_MODEL_KEYS if k in m} if isinstance(m, dict) else m
                       for m in doc["data"]]

    def walk(o):
        if isinstance(o, dict):
            return {k: walk(v) for k, v in o.items() if k not in ("description", "readme")}
        if isinstance(o, list):
            return [walk(v) for v in o]
        return o
    return json.dumps(walk(doc), ensure_ascii=False, separators=(",", ":")) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        text = f.read()
    if src.endswith(".json"):
        out = trim_json(text)
    elif src.endswith(".md"):
        out = text
    else:
        out = trim_html(text)
    with open(dst, "w", encoding="utf-8") as f:
        f.write(out)
    print("%s: %d -> %d bytes" % (dst, len(text.encode()), len(out.encode())))


if __name__ == "__main__":
    main()

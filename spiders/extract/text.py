"""The visible text of a page, without scripts, styles and other parties' blocks.

Contact pages carry contacts that are not the company's: advertisers in sponsored
blocks, a web studio's address in the footer credit ("Разработка сайта — Студия X,
studio@x.ru"). Those blocks are cut out before anything is extracted.
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Any

from lxml import etree

_INVISIBLE = ("script", "style", "noscript", "template", "svg", "head")
# Class or id words that mark a block as someone else's: ads, sponsors, partners.
_FOREIGN_BLOCK = re.compile(
    r"(?:^|[\s_-])(?:sponsor\w*|advert\w*|ads?|adv|banner|promo|partners?|reklama|"
    r"реклама|third-party)(?:$|[\s_-])",
    re.IGNORECASE,
)
# A developer's credit: the block it sits in names the studio, not the company.
_CREDIT = re.compile(
    r"разработк[аи] сайта|создание сайта|сайт разработан|сделано в|"
    r"website by|site by|developed by|made by|designed by",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "address",
        "ul",
        "ol",
        "table",
        "dd",
        "dt",
        "aside",
        "nav",
        "main",
        "form",
    ]
)


def _is_foreign(element: Any) -> bool:
    marks = f"{element.get('class', '')} {element.get('id', '')}"
    if _FOREIGN_BLOCK.search(marks):
        return True
    return "sponsored" in (element.get("rel") or "")


def _credit_blocks(root: Any) -> list[Any]:
    found = []
    for node in root.iter():
        if not isinstance(node.tag, str) or node.tag in _INVISIBLE:
            continue
        own = (node.text or "") + "".join(c.tail or "" for c in node)
        if _CREDIT.search(own):
            found.append(node)
    return found


def prune(root: Any) -> Any:
    """A copy of the tree without invisible parts and other parties' blocks."""
    tree = deepcopy(root)
    doomed = [
        node
        for node in tree.iter()
        if isinstance(node.tag, str) and (node.tag in _INVISIBLE or _is_foreign(node))
    ]
    doomed.extend(_credit_blocks(tree))
    for node in doomed:
        parent = node.getparent()
        if parent is None:
            continue  # already gone with a removed ancestor
        previous, tail = node.getprevious(), node.tail
        parent.remove(node)
        if tail:  # keep the text that followed the removed block
            _append_text(parent, previous, tail)
    return tree


def _append_text(parent: Any, previous: Any, text: str) -> None:
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def visible_text(root: Any) -> str:
    """The text of an (already pruned) tree, one line per block element."""
    parts: list[str] = []
    for event, node in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(node.tag, str):
            if event == "end" and node.tail:
                parts.append(node.tail)
            continue
        if event == "start":
            if node.tag in _BLOCK_TAGS:
                parts.append("\n")
            if node.text:
                parts.append(node.text)
        else:
            if node.tag in _BLOCK_TAGS:
                parts.append("\n")
            if node.tail:
                parts.append(node.tail)
    text = _SPACES.sub(" ", "".join(parts))
    return _BLANK_LINES.sub("\n", text).strip()

"""Characters that a valid text may hold but an output format cannot.

Validation refuses control, bidi and zero-width characters (``model.py``) and the loader refuses
noncharacters, but the renderers do not rely on that: whatever string reaches them, the feed
(XML 1.0) and the pages' front matter (YAML) are written without error and stay well-formed.
"""

from __future__ import annotations

import re

# What XML 1.0 allows (https://www.w3.org/TR/xml/#charsets): lxml refuses everything else.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What a YAML stream may hold (PyYAML's reader refuses the rest, even inside quotes).
_NOT_YAML = re.compile("[^\t\n\r\u0020-\u007e\u0085\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def xml_text(value: str) -> str:
    """``value`` with every character XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value) if _NOT_XML.search(value) else value


def yaml_json(value: str) -> str:
    """A JSON string literal (``json.dumps(value, ensure_ascii=False)``) that is also a YAML
    scalar PyYAML reads back as ``value``: characters a YAML stream cannot hold are written as
    ``\\uXXXX`` escapes (a lone surrogate, which no UTF-8 file can hold, as U+FFFD)."""
    if not _NOT_YAML.search(value):
        return value
    value = _SURROGATE.sub("\ufffd", value)
    return _NOT_YAML.sub(lambda match: f"\\u{ord(match.group()):04x}", value)

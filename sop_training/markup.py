"""Markdown to sanitised HTML, for lessons, glossary entries and quiz texts."""

import re

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

_ROLE_RE = re.compile(r"^role\s+([a-z_]+)\s*$")


def _render_role(self, tokens, idx, options, env):
    token = tokens[idx]
    if token.nesting == 1:
        match = _ROLE_RE.match(token.info.strip())
        role = match.group(1) if match else "general"
        return f'<aside class="role-box role-{role}" data-role="{role}">\n'
    return "</aside>\n"


def _validate_role(params: str, *args) -> bool:
    return bool(_ROLE_RE.match(params.strip()))


_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
    .enable("table")
    .use(container_plugin, name="role", validate=_validate_role, render=_render_role)
)

_ALLOWED_TAGS = {
    "a", "abbr", "aside", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "aside": {"class", "data-role"},
    "ol": {"start"},
}


def render_markdown(text: str) -> str:
    """Render Markdown to HTML that carries no script, event handler or foreign markup."""
    html = _md.render(text)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )

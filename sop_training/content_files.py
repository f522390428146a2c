"""Reading authored YAML and Markdown files so that every problem can name its line."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Problem:
    """One problem in a content file, printed as ``file:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class LineDict(dict):
    """A mapping that remembers its own line and the line of each key."""

    line = 1
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence that remembers its own line and the line of each item."""

    line = 1
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader, node):
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader, node):
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


class ContentError(ValueError):
    """A file cannot be parsed at all."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def _shift_lines(value, offset: int):
    if isinstance(value, LineDict):
        value.line += offset
        value.key_lines = {k: v + offset for k, v in value.key_lines.items()}
        for item in value.values():
            _shift_lines(item, offset)
    elif isinstance(value, LineList):
        value.line += offset
        value.item_lines = [n + offset for n in value.item_lines]
        for item in value:
            _shift_lines(item, offset)


def parse_yaml(text: str, line_offset: int = 0):
    """Parse YAML into LineDict/LineList values; ``line_offset`` shifts the reported lines."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        raise ContentError(line, f"YAML error: {exc.problem or exc}") from None
    if line_offset:
        _shift_lines(data, line_offset)
    return data


def read_yaml(path: Path):
    """Read and parse a YAML file."""
    return parse_yaml(path.read_text(encoding="utf-8"))


def split_front_matter(text: str) -> tuple[LineDict, str, int]:
    """Split a Markdown file into its YAML front matter, body, and the body's first line."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ContentError(1, "the file must start with YAML front matter between '---' lines")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            meta = parse_yaml("".join(lines[1:index]), line_offset=1)
            if not isinstance(meta, dict):
                raise ContentError(2, "the front matter must be a mapping of keys to values")
            return meta, "".join(lines[index + 1 :]), index + 2
    raise ContentError(1, "the front matter is not closed by a '---' line")


def hash_files(paths) -> str:
    """Return the SHA-256 of the given files' names and contents, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()

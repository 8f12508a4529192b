"""IAM glob patterns (``*`` and ``?``) matched exactly, or against every key under a prefix.

Example: ``Pattern.parse("arn:aws:s3:::b/public/*")`` matches ``arn:aws:s3:::b/public/a.jpg``,
may match some key under ``arn:aws:s3:::b/`` and covers every key under ``arn:aws:s3:::b/public/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_STAR = "*"
_ONE = "?"
# Policy variables: ${*}, ${?} and ${$} are escapes; any other variable depends on the caller.
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_ESCAPES = {"*": "\x00*", "?": "\x00?", "$": "\x00$"}


@dataclass(frozen=True)
class Pattern:
    """A parsed pattern: each token is a literal character, ``*`` or ``?`` (wildcards)."""

    text: str
    tokens: tuple[tuple[bool, str], ...]
    has_variable: bool = False
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Whole-text matching runs once per object and statement: a compiled regex is far faster.
        parts = [
            (".*" if char == _STAR else ".") if wildcard else re.escape(char)
            for wildcard, char in self.tokens
        ]
        object.__setattr__(self, "regex", re.compile("".join(parts), re.DOTALL))

    @classmethod
    def parse(cls, text: str, *, fold_case: bool = False) -> Pattern:
        """Parse a pattern; unknown policy variables become ``*`` (they could match anything)."""
        source = text.casefold() if fold_case else text
        has_variable = False

        def replace(match: re.Match[str]) -> str:
            nonlocal has_variable
            if match.group(1) in _ESCAPES:
                return _ESCAPES[match.group(1)]
            has_variable = True
            return _STAR

        source = _VARIABLE.sub(replace, source)
        tokens: list[tuple[bool, str]] = []
        escaped = False
        for char in source:
            if char == "\x00":
                escaped = True
                continue
            wildcard = not escaped and char in (_STAR, _ONE)
            tokens.append((wildcard, char))
            escaped = False
        return cls(text, tuple(tokens), has_variable)

    @property
    def literal_prefix(self) -> str:
        """The characters before the first wildcard."""
        prefix = []
        for wildcard, char in self.tokens:
            if wildcard:
                break
            prefix.append(char)
        return "".join(prefix)

    def _closure(self, states: set[int]) -> set[int]:
        todo = list(states)
        while todo:
            index = todo.pop()
            if self._star_at(index) and index + 1 not in states:
                states.add(index + 1)
                todo.append(index + 1)
        return states

    def _run(self, text: str) -> set[int]:
        states = self._closure({0})
        for char in text:
            moved: set[int] = set()
            for index in states:
                if index >= len(self.tokens):
                    continue
                wildcard, token = self.tokens[index]
                if wildcard and token == _STAR:
                    moved.add(index)
                elif (wildcard and token == _ONE) or token == char:
                    moved.add(index + 1)
            states = self._closure(moved)
            if not states:
                break
        return states

    def matches(self, text: str) -> bool:
        """Whether the whole text matches."""
        return self.regex.fullmatch(text) is not None

    def may_match_under(self, prefix: str) -> bool:
        """Whether some text that starts with `prefix` and is longer than it matches."""
        end = len(self.tokens)
        return any(
            index < end or self._star_at(index - 1) for index in self._run(prefix) if index <= end
        )

    def covers_under(self, prefix: str) -> bool:
        """Whether every text that starts with `prefix` (and is longer) matches."""
        end = len(self.tokens)
        for index in self._run(prefix):
            rest = self.tokens[index:]
            if index < end and all(token == (True, _STAR) for token in rest):
                return True
            if index == end and self._star_at(index - 1):
                return True
        return False

    def _star_at(self, index: int) -> bool:
        return 0 <= index < len(self.tokens) and self.tokens[index] == (True, _STAR)


@lru_cache(maxsize=4096)
def pattern(text: str, fold_case: bool = False) -> Pattern:
    """A parsed pattern, cached: the same few policy patterns are matched against every key."""
    return Pattern.parse(text, fold_case=fold_case)

"""Work units waiting for a worker, handed out round-robin with at most N per account at once."""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from typing import Generic, TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


class AccountQueue(Generic[K, T]):
    """Items by account; `take` skips accounts at their cap, `done` frees a slot.

    Example: with a cap of 2, three buckets of one account and one of another are handed out as
    a1, b1, a2, and a3 only once a1 or a2 is done.
    """

    def __init__(self, per_account: int) -> None:
        if per_account < 1:
            raise ValueError("the per-account cap must be at least 1")
        self._cap = per_account
        self._waiting: dict[K, deque[T]] = {}
        self._turns: deque[K] = deque()  # accounts with waiting items, in round-robin order
        self._running: dict[K, int] = {}

    def __len__(self) -> int:
        return sum(len(items) for items in self._waiting.values())

    def add(self, account: K, item: T) -> None:
        """Queue one item of an account."""
        if account not in self._waiting:
            self._waiting[account] = deque()
            self._turns.append(account)
        self._waiting[account].append(item)

    def take(self) -> tuple[K, T] | None:
        """The next item of the first account below its cap, or None."""
        for _ in range(len(self._turns)):
            account = self._turns[0]
            self._turns.rotate(-1)
            if self._running.get(account, 0) >= self._cap:
                continue
            items = self._waiting[account]
            item = items.popleft()
            if not items:
                del self._waiting[account]
                self._turns.remove(account)
            self._running[account] = self._running.get(account, 0) + 1
            return account, item
        return None

    def done(self, account: K) -> None:
        """One item of the account finished: its slot is free."""
        self._running[account] -= 1

    def drain(self) -> list[T]:
        """Every waiting item, removed (a stop request: they will not run)."""
        items = [item for waiting in self._waiting.values() for item in waiting]
        self._waiting.clear()
        self._turns.clear()
        return items

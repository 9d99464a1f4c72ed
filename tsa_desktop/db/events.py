"""Session event listeners attached once per session factory (audit trail, row filter, id sequences)."""

from __future__ import annotations

import weakref
from typing import Any, Callable

from sqlalchemy import event
from sqlalchemy.orm import sessionmaker


#: Which sets of listeners each session factory has (see :func:`listen_once`).
_LISTENING: weakref.WeakKeyDictionary[sessionmaker, set[str]] = weakref.WeakKeyDictionary()


def listen_once(factory: sessionmaker, name: str, *listeners: tuple[str, Callable[..., Any]]) -> None:
    """Attach a named set of session event listeners to ``factory``, once.

    Not ``event.contains(factory, ...)``: SQLAlchemy's event registry keys a target by its id(),
    which a new factory can reuse once an old one is gone; the new factory was then taken to have
    the listeners already and got none (changes went unrecorded, a mentor saw every trainee, ids
    collided on PostgreSQL).

    Args:
        factory: The session factory.
        name: What the listeners do, e.g. "audit"; a second call with the same name does nothing.
        listeners: (event name, function) pairs.
    """
    installed = _LISTENING.setdefault(factory, set())
    if name in installed:
        return
    installed.add(name)
    for event_name, function in listeners:
        event.listen(factory, event_name, function)

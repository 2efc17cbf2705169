"""The nine steps' practices, a module each, named as the practice is in every layer (see
docs/ARCHITECTURE.md, "One name a practice"): each holds the kinds of records its practice keeps
and the pure rules over them. Importing this package registers every kind."""

from app.domain.practices import (  # noqa: F401
    celebrate,
    kindness,
    openly,
    origins,
    patterns,
    present,
    support,
    trust,
    wounds,
)

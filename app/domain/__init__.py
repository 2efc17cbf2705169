from app.domain import (
    awareness,  # noqa: F401  (wound, origin, trigger, i_statement, listening_turn, ...)
    journey,  # noqa: F401  (registers the meeting kind)
    machines,  # noqa: F401  (each partner's machines and their keys)
    support,  # noqa: F401  (registers the kinds of steps 4 to 7)
    together,  # noqa: F401  (answer, grounding, present_moment, shared_goal, repair)
)

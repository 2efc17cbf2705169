from app.domain import (
    calm,  # noqa: F401  (registers the repair phrase kind)
    machines,  # noqa: F401  (each partner's machines and their keys)
    meeting,  # noqa: F401  (registers the meeting kind)
    practices,  # noqa: F401  (registers the kinds of the nine steps' practices)
    question,  # noqa: F401  (registers the answer kind)
    repair,  # noqa: F401  (registers the repair kind)
)

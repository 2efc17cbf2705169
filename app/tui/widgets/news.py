"""How "new from Sam since you last looked" reads: one line a change, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from app.content import Content
from app.domain.meeting import Meeting
from app.domain.models import Agreement, Celebration, CheckIn, Progress
from app.domain.news import News
from app.tui.widgets.safe import safe_text
from app.tui.widgets.status import status_label

SHOWN = 5
QUOTE_MAX = 60


def _quote(words: str) -> str:
    words = " ".join(words.split())
    return words if len(words) <= QUOTE_MAX else words[: QUOTE_MAX - 1].rstrip() + "…"


def news_sentence(content: Content, news: News, partner_id: str) -> str:
    """What the partner did, as a phrase after their name ("logged a celebration: ...")."""
    text = content.text
    record = news.record
    if isinstance(record, Celebration):
        if news.added:
            return text("news.celebration_added", title=_quote(record.title))
        if partner_id in record.reactions:
            return text("news.celebration_reacted", title=_quote(record.title))
        return text("news.celebration_changed", title=_quote(record.title))
    if isinstance(record, Agreement):
        if news.added:
            return text("news.agreement_added", text=_quote(record.text))
        both = len([p for p in record.signatures if record.signed_by(p)]) >= 2
        if news.deleted or record.retired:
            what = "deleted" if news.deleted else "retired"
            return text(f"news.agreement_{what}{'_signed' if both else ''}", text=_quote(record.text))
        if record.signed_by(partner_id):
            return text("news.agreement_signed", text=_quote(record.text))
        return text("news.agreement_changed", text=_quote(record.text))
    if isinstance(record, CheckIn):
        return text("news.checked_in", scale=text(f"checkin.scale.{int(record.connection)}"))
    if isinstance(record, Progress):
        return text(
            "news.progress",
            status=status_label(content, record.status),
            number=record.step,
            title=content.step(record.step).title,
        )
    if isinstance(record, Meeting):
        return text("news.meeting")
    return text("news.other")


def news_text(content: Content, news: Sequence[News], partner_id: str, name: str) -> Text:
    """Up to ``SHOWN`` lines, then "and N more"."""
    lines = Text()
    for item in news[:SHOWN]:
        if lines:
            lines.append("\n")
        lines.append("• ", "bold")
        lines.append_text(safe_text(name, "bold", one_line=True))
        lines.append(" ")
        lines.append_text(safe_text(news_sentence(content, item, partner_id), one_line=True))
    if len(news) > SHOWN:
        lines.append("\n")
        lines.append(content.text("dashboard.more", count=len(news) - SHOWN), "dim italic")
    return lines

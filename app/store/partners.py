"""The two partners, which one is at this machine, and each one's progress on the nine steps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.domain.models import Partner, Progress, StepStatus
from app.domain.text import name_key
from app.store.errors import StoreError

if TYPE_CHECKING:
    from app.store.couple import CoupleStore


class Partners:
    """Partners and their progress (mixed into ``CoupleStore``)."""

    @property
    def partners(self: CoupleStore) -> list[Partner]:
        """Both partners, the one who created the file first."""
        return sorted(self.records(Partner), key=lambda p: (p.created, p.id))

    def partner(self: CoupleStore, partner_id: str) -> Partner:
        found = self.get(Partner, partner_id)
        if found is None:
            raise StoreError("unknown_partner", case="id", id=partner_id[:12])
        return found

    def partner_named(self: CoupleStore, name: str) -> Partner:
        wanted = name_key(name)
        for partner in self.partners:
            if name_key(partner.name) == wanted:
                return partner
        raise StoreError("unknown_partner", case="name", name=name, names=[p.name for p in self.partners])

    def other(self: CoupleStore, partner_id: str) -> Partner:
        for partner in self.partners:
            if partner.id != partner_id:
                return partner
        raise StoreError("unknown_partner", case="only_one", path=self.path)

    @property
    def me(self: CoupleStore) -> Partner | None:
        """Who is at this machine, if this machine knows."""
        me = self.local.me(self.file_id)
        return self.get(Partner, me) if me else None

    def set_me(self: CoupleStore, partner_id: str) -> None:
        self.partner(partner_id)
        self.local.set_me(self.file_id, partner_id)
        self.publish_machine()

    def progress(self: CoupleStore, partner_id: str) -> dict[int, StepStatus]:
        """That partner's status on each of the nine steps."""
        statuses = dict.fromkeys(range(1, 10), StepStatus.NOT_STARTED)
        for item in self.records(Progress):
            if item.partner == partner_id:
                statuses[item.step] = item.status
        return statuses

    def set_progress(
        self, partner_id: str, step: int, status: StepStatus, editor: str | None = None
    ) -> Progress:
        self.partner(partner_id)
        return self.create(
            Progress,
            editor or partner_id,
            self.derived_id("progress", partner_id, step),
            partner=partner_id,
            step=step,
            status=StepStatus(status),
        )

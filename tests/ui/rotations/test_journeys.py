"""The rotation grid and the cell editor speak of journeys in minutes, and say when one is unknown."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt

from tsa_desktop.domain.journeys import TravelMode
from tsa_desktop.services.rotations.choices import school_choices
from tsa_desktop.ui.rotations.models import LINES_ROLE, TRAINEE
from tsa_desktop.ui.rotations.page import RotationsPage


def test_a_trainee_without_a_located_home_shows_journey_unknown(qtbot, ctx):
    ws = ctx.workspace
    enrolled = [r for r in ws.trainees.list() if r.status.code == "enrolled"]
    lost, by_bus = enrolled[0], next(r for r in enrolled[1:] if r.phase.code == "primary")
    ws.trainees.update(lost.id, dataclasses.replace(lost.data(), home_postcode="", home_easting=None,
                                                    home_northing=None), lost.version)
    ws.trainees.update(by_bus.id, dataclasses.replace(by_bus.data(), travel_mode=TravelMode.PUBLIC_TRANSPORT),
                       by_bus.version)
    page = RotationsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    model = page.model
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    lines = {model.index(r, TRAINEE).data(): model.index(r, TRAINEE).data(LINES_ROLE)[1]
             for r in range(model.rowCount())}
    assert lines[lost.name].startswith("Journey unknown · ")
    assert "Journey unknown" not in lines[by_bus.name]
    tip = model.index(model.row_of(lost.id), TRAINEE).data(Qt.ItemDataRole.ToolTipRole)
    assert "Journey unknown: the home postcode is missing" in tip
    grid = model.grid
    suitable = [c for c in school_choices(grid, by_bus.id, grid.blocks[1].id) if c.suitable]
    assert suitable and all("min by public transport (estimate)" in c.note and " km" in c.note for c in suitable)
    assert [c.minutes for c in suitable] == sorted(c.minutes for c in suitable)

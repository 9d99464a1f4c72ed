"""Helpers for the letter service tests: change the demo's data and read PDFs back."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from tsa_desktop.db import models as m

YEAR = "2026/27"
NAMES = [("Siân", "Ashworth"), ("Łukasz", "Kowalczyk"), ("Nguyễn Thị", "Hoa"), ("Zoë", "Brontë"),
         ("Олена", "Коваленко")]


def pdf_text(source: bytes | Path) -> str:
    """All text of a PDF, runs of white space made one space (line wraps vary)."""
    reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def squash(text: str) -> str:
    """Text without white space, to compare values that a table cell may have wrapped."""
    return re.sub(r"\s+", "", text)


def page_count(source: bytes | Path) -> int:
    return len(PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source).pages)


def placed_trainee_ids(ws) -> list[int]:
    """Database ids of trainees with a confirmed placement, by id."""
    with ws.db.reading() as s:
        return sorted(set(s.scalars(select(m.Placement.trainee_id)
                                    .where(m.Placement.status == "confirmed"))))


def rename_trainee(ws, trainee_id: int, first: str, last: str) -> None:
    with ws.db.transaction() as s:
        trainee = s.get(m.Trainee, trainee_id)
        trainee.first_names, trainee.last_name = first, last


def update_row(ws, model, record_id: int, **values) -> None:
    with ws.db.transaction() as s:
        row = s.get(model, record_id)
        for key, value in values.items():
            setattr(row, key, value)


def placement_of(ws, trainee_id: int, block_position: int = 0) -> m.Placement:
    with ws.db.reading() as s:
        placement = s.scalar(
            select(m.Placement).join(m.PlacementBlock)
            .where(m.Placement.trainee_id == trainee_id,
                   m.PlacementBlock.position == block_position))
        s.expunge(placement)
        return placement


def add_placement(ws, trainee_id: int, block_position: int, school_id: int | None = None,
                  mentor_id: int | None = None, status: str = "confirmed") -> int:
    """Place a trainee in another block (at another school than their first, by default)."""
    with ws.db.transaction() as s:
        block = s.scalar(select(m.PlacementBlock).where(m.PlacementBlock.position == block_position))
        first = s.scalar(select(m.Placement).where(m.Placement.trainee_id == trainee_id))
        if school_id is None:
            school_id = s.scalar(select(m.School.id).where(m.School.id != first.school_id)
                                 .order_by(m.School.id))
        placement = m.Placement(trainee_id=trainee_id, block_id=block.id, school_id=school_id,
                                mentor_id=mentor_id, status=status)
        s.add(placement)
        s.flush()
        return placement.id


def place_more_trainees(ws, count: int) -> list[int]:
    """Give enrolled trainees an Autumn placement (no mentor yet) until ``count`` are placed."""
    placed = placed_trainee_ids(ws)
    with ws.db.transaction() as s:
        block = s.scalar(select(m.PlacementBlock).where(m.PlacementBlock.position == 0))
        school = s.scalar(select(m.School.id).order_by(m.School.id))
        for trainee in s.scalars(select(m.Trainee).where(m.Trainee.status == "enrolled")
                                 .order_by(m.Trainee.id)):
            if len(placed) >= count:
                break
            if trainee.id not in placed:
                s.add(m.Placement(trainee_id=trainee.id, block_id=block.id, school_id=school,
                                  status="confirmed"))
                placed.append(trainee.id)
    return sorted(placed)

"""Fixtures of the carnets' tests: the cast's group with resources, médiathèque photos and
carnets in every sharing state (titles name the state), and helpers that write carnets."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from observatoire.kinds import Base, Kind
from observatoire.models import Attachment
from publications.models import Carnet

from ..actualites.conftest import _sharing
from ..api.conftest import STATES, client_for  # noqa: F401  (the API clients of the cast)
from ..ui.matrix import resource_in_state


def png_bytes(size: tuple[int, int] = (40, 30), colour: str = "#a04a2b") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def png_upload(name: str = "photo.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(**kwargs), "image/png")


def text_block(text: str = "## Intertitre\n\nUn texte.") -> dict:
    return {"type": "text", "markdown": text}


@pytest.fixture
def resources(cast) -> dict:
    """One resource per state (``Clocher <state>``) and one médiathèque photo per state
    (``Photothèque <state>``, with an attachment), by ``cast['author']``."""
    out = {"cards": {}, "photos": {}}
    for state, (level, validated) in STATES.items():
        out["cards"][state] = resource_in_state(cast, level, validated, title=f"Clocher {state}")
        photo = resource_in_state(
            cast,
            level,
            validated,
            title=f"Photothèque {state}",
            base=Base.MEDIATHEQUE,
            kind=Kind.PHOTO,
        )
        attachment = Attachment.objects.create(
            resource=photo,
            file=SimpleUploadedFile(f"{state}.png", png_bytes(), "image/png"),
            category=Attachment.Category.PHOTO,
            name=f"{state}.png",
            content_type="image/png",
            size=100,
            uploaded_by=cast["author"],
        )
        out["photos"][state] = (photo, attachment)
    return out


@pytest.fixture
def carnets(cast) -> dict[str, Carnet]:
    """One carnet per state (``Carnet <state>``), with a text block, by ``cast['author']``."""
    return {
        state: Carnet.objects.create(
            title=f"Carnet {state}",
            slug=f"carnet-{state.replace('_', '-')}",
            blocks=[text_block(f"Texte du carnet {state}.")],
            **_sharing(cast, level, validated),
        )
        for state, (level, validated) in STATES.items()
    }

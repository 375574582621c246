"""Bad input (issue 28): an invalid SIRET, a territory name that matches nothing, an experience
dated more than a year ahead, a logo that is not an image, Markdown with a script. Each answers
a French message tied to its field, in the services, the pages and the REST API, and writes
nothing (no profile, no experience, the edited profile unchanged)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from actors import services
from actors.models import Experience, Profile
from actors.services import ExperienceInput, ProfileInput
from actors.siret import clean_siret, luhn_ok

from .conftest import make_profile

pytestmark = pytest.mark.django_db

NEXT_YEARS = date.today().year + 2

CASES = {
    "siret": ({"siret": "732 829 320 00075"}, {}, "siret", "Luhn"),
    "territories": (
        {},
        {"territories": "Lille (59350) ; Ville-qui-n-existe-pas"},
        "territories",
        "introuvable",
    ),
    "year": ({}, {"year": NEXT_YEARS}, "experiences[0].year_start", "au-delà"),
    "markdown": ({"services": "Bonjour <script>alert(1)</script>"}, {}, "services", "code"),
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "green").save(out, "PNG")
    return out.getvalue()


def test_luhn_and_siret_rules():
    """The checksum accepts a valid SIRET and refuses a changed digit, a wrong length."""
    assert luhn_ok("73282932000074") and not luhn_ok("73282932000075")
    assert clean_siret("732 829 320 00074") == "73282932000074"
    assert clean_siret("") == ""
    for bad in ("7328293200007", "7328293200007A", "73282932000075"):
        with pytest.raises(ValidationError) as err:
            clean_siret(bad)
        assert "siret" in err.value.message_dict


@pytest.mark.parametrize("case", sorted(CASES))
def test_service_refuses_and_writes_nothing(cast, territories, case):
    fields, extra, key, word = CASES[case]
    data = ProfileInput(
        fields={"name": "Atelier refusé", "kind": "professionnel", **fields},
        territories=extra.get("territories"),
        experiences=[ExperienceInput(title="Une expérience", year_start=extra.get("year", 2020))],
    )
    with pytest.raises(ValidationError) as err:
        services.create_profile(cast["author"], data)
    assert key in err.value.message_dict
    assert word in " ".join(err.value.message_dict[key])
    assert not Profile.objects.exists() and not Experience.objects.exists()


def test_logo_that_is_not_an_image(cast, territories):
    """Judged on its bytes: a text file named logo.png is refused; a real PNG is kept."""
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    data = ProfileInput(fields={"name": "Logo faux", "kind": "caue"}, logo=fake)
    with pytest.raises(ValidationError) as err:
        services.create_profile(cast["author"], data)
    assert "n'est pas une image" in err.value.message_dict["logo"][0]
    assert not Profile.objects.exists()
    good = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    profile = services.create_profile(
        cast["author"], ProfileInput(fields={"name": "Logo vrai", "kind": "caue"}, logo=good)
    )
    assert profile.logo.name.endswith(".png")


def _form(**overrides) -> dict:
    data = {
        "name": "Atelier du formulaire",
        "kind": "professionnel",
        "contact_choice": "public",
        "visibility": "public",
        "exp-TOTAL_FORMS": "1",
        "exp-INITIAL_FORMS": "0",
        "exp-MIN_NUM_FORMS": "0",
        "exp-MAX_NUM_FORMS": "50",
        "exp-0-title": "Une expérience",
        "exp-0-year_start": "2020",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "overrides, field_id, word",
    [
        ({"siret": "73282932000075"}, "id_siret-erreur", "Luhn"),
        ({"territories": "Nulle-Part-sur-Rien"}, "id_territories-erreur", "introuvable"),
        ({"exp-0-year_start": str(NEXT_YEARS)}, "id_exp-0-year_start-erreur", "au-delà"),
        ({"about": "<script>x</script>"}, "id_about-erreur", "code"),
        ({"exp-0-commune": "Nulle-Part-sur-Rien"}, "id_exp-0-commune-erreur", "introuvable"),
    ],
)
def test_page_shows_the_message_on_the_field(client, cast, territories, overrides, field_id, word):
    """The create page answers 400 with the French message under the field; nothing written."""
    client.force_login(cast["author"])
    response = client.post("/acteurs/nouveau/", _form(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    start = html.index(f'id="{field_id}"')
    assert word in html[start : start + 400]
    assert not Profile.objects.exists()


def test_page_logo_not_an_image(client, cast, territories):
    client.force_login(cast["author"])
    fake = SimpleUploadedFile("logo.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post("/acteurs/nouveau/", {**_form(), "logo": fake})
    assert response.status_code == 400
    assert "n&#x27;est pas une image" in response.content.decode()
    assert not Profile.objects.exists()


@pytest.mark.parametrize("case", sorted(CASES))
def test_api_answers_400_keyed_by_field(client, cast, territories, case):
    fields, extra, key, word = CASES[case]
    body = {
        "name": "Atelier API",
        "kind": "professionnel",
        **fields,
        "experiences": [{"title": "Une expérience", "year_start": extra.get("year", 2020)}],
    }
    if "territories" in extra:
        body["territories"] = [t.strip() for t in extra["territories"].split(";")]
    client.force_login(cast["author"])
    response = client.post("/api/v1/actors/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert word in " ".join(response.json()[key])
    assert not Profile.objects.exists()


def test_failed_edit_leaves_the_profile_unchanged(client, cast, territories):
    """A PATCH with one bad experience among good changes changes nothing."""
    profile = make_profile(cast["author"], "Atelier stable", summary="Avant")
    client.force_login(cast["author"])
    response = client.patch(
        f"/api/v1/actors/{profile.slug}/",
        {
            "summary": "Après",
            "experiences": [{"title": "Bonne"}, {"title": "Mauvaise", "year_end": NEXT_YEARS}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "experiences[1].year_end" in response.json()
    profile.refresh_from_db()
    assert profile.summary == "Avant" and not profile.experiences.exists()


def test_experience_photo_checked_by_content_then_removed(client, cast, territories):
    """A photo that is not an image is refused on its field; a real one is kept, re-encoded,
    and « Retirer les photos » takes it away."""
    client.force_login(cast["author"])
    fake = SimpleUploadedFile("photo.jpg", b"GIF89a but not really", content_type="image/jpeg")
    refused = client.post("/acteurs/nouveau/", {**_form(), "exp-0-photo": fake})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "n&#x27;est pas une image" in html[html.index('id="id_exp-0-photo-erreur"') :][:300]
    assert not Profile.objects.exists()
    real = SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    assert client.post("/acteurs/nouveau/", {**_form(), "exp-0-photo": real}).status_code == 302
    experience = Experience.objects.get()
    assert experience.photos.get().image.name.endswith(".jpg")
    profile = experience.profile
    edit = {
        **_form(),
        "exp-INITIAL_FORMS": "1",
        "exp-0-pk": str(experience.pk),
        "exp-0-remove_photos": "on",
    }
    assert client.post(f"/acteurs/{profile.slug}/modifier/", edit).status_code == 302
    assert not experience.photos.exists()

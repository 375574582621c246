"""A profile's vCard (RFC 6350, written by ``vobject``): the name and the profile's address
for everyone who sees the profile; the contact details only for those the profile's contact
choice allows (public, accounts only, or nobody)."""

from __future__ import annotations

from typing import Any

import vobject

from .models import Profile


def of(profile: Profile, user: Any, url: str) -> str:
    card = vobject.vCard()
    card.add("fn").value = profile.name
    if profile.is_person:
        parts = profile.name.rsplit(" ", 1)
        family, given = (parts[1], parts[0]) if len(parts) == 2 else (profile.name, "")
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        card.add("kind").value = "individual"
    else:
        card.add("n").value = vobject.vcard.Name(family=profile.name)
        card.add("org").value = [profile.name]
        card.add("kind").value = "org"
    card.add("url").value = url
    if profile.summary:
        card.add("note").value = profile.summary
    if profile.contact_visible_to(user):
        if profile.email:
            card.add("email").value = profile.email
        if profile.phone:
            card.add("tel").value = profile.phone
        if profile.website:
            card.add("url").value = profile.website
        if profile.address:
            card.add("adr").value = vobject.vcard.Address(street=profile.address)
    return card.serialize()

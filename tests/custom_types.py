"""Event types of a user's own, for tests: registered by importing this module.

Shared by the tests of every layer (see them as a user's ``mypkg.events``):
``from custom_types import Protest`` or, at the command line,
``--events tests.custom_types:Protest``.
"""

from __future__ import annotations

from pydantic import Field

from newsschema import Actor, Event, Place


class Protest(Event):
    """A public demonstration or protest by a group of people against or for something."""

    organisers: list[Actor] = Field(description="Who organised or led the protest.")
    place: Place | None = Field(description="Where the protest took place, or null.")
    size: str | None = Field(description="How many took part, as the article says, or null.")
    demands: list[str] = Field(description="What the protesters demanded, briefly.")


class Arrest(Event):
    """A person taken into custody by police or security forces."""

    person: Actor = Field(description="Who was arrested.")
    authority: Actor | None = Field(description="Who made the arrest, or null.")
    place: Place | None = Field(description="Where the arrest took place, or null.")
    charges: list[str] = Field(description="The charges named, if any.")

"""The schema sent to the model obeys OpenAI's documented strict structured-output rules."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from newsschema import strict_json_schema
from newsschema._records import STRICT_KEYWORDS

# Documented limits (platform docs, "Structured Outputs", supported schemas).
MAX_OBJECT_PROPERTIES = 5000
MAX_NESTING = 10
MAX_ENUM_VALUES = 1000
MAX_STRING_SIZE = 120_000  # names, enum values and const values, summed
LIBRARY_COMPUTED = {"start", "end", "value", "granularity", "resolution", "provenance", "type"}


def _objects(node: Any, depth: int = 0):
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield node, depth
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for child in value.values():
                    yield from _objects(child, depth + (key == "properties"))
            elif isinstance(value, dict | list):
                yield from _objects(value, depth)
    elif isinstance(node, list):
        for child in node:
            yield from _objects(child, depth)


def _keys(node: Any):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, node
            if key in ("properties", "$defs"):
                for child in value.values():
                    yield from _keys(child)
            else:
                yield from _keys(value)
    elif isinstance(node, list):
        for child in node:
            yield from _keys(child)


SCHEMA = strict_json_schema()


def test_root_is_an_object_not_a_union() -> None:
    assert SCHEMA["type"] == "object" and "anyOf" not in SCHEMA


def test_every_object_is_closed_and_requires_all_its_properties() -> None:
    objects = list(_objects(SCHEMA))
    assert len(objects) >= 9
    for obj, _ in objects:
        assert obj["additionalProperties"] is False
        assert set(obj["required"]) == set(obj["properties"])


def test_no_unsupported_keywords_and_no_defaults() -> None:
    used = {key for key, _ in _keys(SCHEMA)}
    names = {
        name
        for key, parent in _keys(SCHEMA)
        if key in ("properties", "$defs")
        for name in parent[key]
    }
    assert used - STRICT_KEYWORDS - names == set()
    assert "default" not in used


def test_refs_have_no_sibling_keywords() -> None:
    for key, parent in _keys(SCHEMA):
        if key == "$ref":
            assert set(parent) == {"$ref"}, parent


def test_each_definition_is_sent_once_not_copied_into_the_fields_using_it() -> None:
    # Every object is the answer itself or one of its definitions: none inlined.
    assert len(list(_objects(SCHEMA))) == 1 + len(SCHEMA["$defs"])
    speaker = SCHEMA["$defs"]["StatementDraft"]["properties"]["speaker"]
    assert speaker == {
        "anyOf": [{"$ref": "#/$defs/Actor"}],
        "description": "Who said it (person, office, ministry or state).",
    }
    refs = [parent["$ref"] for key, parent in _keys(SCHEMA) if key == "$ref"]
    assert refs.count("#/$defs/Actor") >= 4  # participants, speaker, addressee, visitor...
    assert {ref.removeprefix("#/$defs/") for ref in refs} == set(SCHEMA["$defs"])


def test_titles_are_left_out_but_a_field_called_title_stays() -> None:
    # No "title" keyword anywhere (_keys does not count property names as keys) ...
    assert "title" not in {key for key, _ in _keys(SCHEMA)}
    # ... while the Actor's field called "title" is still asked for.
    assert "title" in SCHEMA["$defs"]["Actor"]["properties"]
    assert "title" in SCHEMA["$defs"]["Actor"]["required"]

    class Inner(BaseModel):
        """A nested part."""

        title: str = Field(description="A field named title.")

    class Outer(BaseModel):
        """An outer model."""

        properties: str = Field(description="A field named properties.")
        inner: Inner = Field(description="A described reference.")

    schema = strict_json_schema(Outer)
    assert "title" not in schema and "title" not in schema["$defs"]["Inner"]
    assert schema["$defs"]["Inner"]["properties"]["title"]["type"] == "string"
    assert schema["properties"]["properties"]["type"] == "string"
    assert schema["properties"]["inner"]["anyOf"] == [{"$ref": "#/$defs/Inner"}]


def test_optional_fields_are_nullable() -> None:
    actor = SCHEMA["$defs"]["Actor"]["properties"]
    assert {"type": "null"} in actor["title"]["anyOf"]
    assert {"type": "null"} in actor["country"]["anyOf"]


def test_within_size_and_nesting_limits() -> None:
    objects = list(_objects(SCHEMA))
    assert sum(len(o["properties"]) for o, _ in objects) <= MAX_OBJECT_PROPERTIES
    assert max(depth for _, depth in objects) <= MAX_NESTING
    enums = [v for key, parent in _keys(SCHEMA) if key == "enum" for v in parent[key]]
    assert len(enums) <= MAX_ENUM_VALUES
    names = [
        n for key, parent in _keys(SCHEMA) if key in ("properties", "$defs") for n in parent[key]
    ]
    assert sum(len(s) for s in names + [str(e) for e in enums]) <= MAX_STRING_SIZE


def test_library_computed_fields_are_not_asked_from_the_model() -> None:
    properties = {n for key, parent in _keys(SCHEMA) if key == "properties" for n in parent[key]}
    assert properties & LIBRARY_COMPUTED == set()
    assert {"quote", "expression", "participants", "speaker", "visitor", "subject"} <= properties


def test_every_property_is_described() -> None:
    for obj, _ in _objects(SCHEMA):
        for name, prop in obj["properties"].items():
            assert prop.get("description"), name

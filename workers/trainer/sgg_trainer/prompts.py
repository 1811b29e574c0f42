"""Prompt texts for chat models (method.md b.1). The tiny model stands for these with prompt tokens.

The reference's exact texts are not reproduced; these satisfy b.1's content requirements in order:
instruction, fenced schema with placeholders, guidelines, (closed) allowed names as JSON arrays, a short
fenced example with four objects and two relationships, final request.
"""

from __future__ import annotations

import json
from typing import Sequence

THINK_SYSTEM = (
    "A conversation between User and Assistant. The user asks a question, and the Assistant solves it. "
    "The assistant first thinks about the reasoning process in the mind and then provides the user with the answer. "
    "The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, "
    "i.e., <think> reasoning process here </think><answer> answer here </answer>"
)
PLAIN_SYSTEM = "You are a helpful multimodal assistant."

_SCHEMA = (
    "```json\n{\n  \"objects\": [\n    {\"id\": \"object_name.number\", \"bbox\": [x1, y1, x2, y2]},\n    ...\n  ],\n"
    "  \"relationships\": [\n    {\"subject\": \"object_name.number\", \"predicate\": \"predicate_name\", \"object\": \"object_name.number\"},\n    ...\n  ]\n}\n```"
)
_GUIDELINES = (
    "Guidelines:\n"
    "- Give every object a unique id of the form object_name.number (for example person.1, bike.2).\n"
    "- Write each box as [x1, y1, x2, y2] with integer coordinates.\n"
    "- List every visible object, even when it has no relationship.\n"
    "- Express interactions as subject-predicate-object relationships.\n"
    "- Leave out relationships for objects that have none."
)
_EXAMPLE = (
    "Example:\n```json\n{\n  \"objects\": [\n    {\"id\": \"person.1\", \"bbox\": [125, 200, 425, 933]},\n"
    "    {\"id\": \"bike.2\", \"bbox\": [100, 500, 525, 983]},\n    {\"id\": \"helmet.3\", \"bbox\": [200, 150, 325, 283]},\n"
    "    {\"id\": \"tree.4\", \"bbox\": [625, 66, 975, 700]}\n  ],\n  \"relationships\": [\n"
    "    {\"subject\": \"person.1\", \"predicate\": \"riding\", \"object\": \"bike.2\"},\n"
    "    {\"subject\": \"person.1\", \"predicate\": \"wearing\", \"object\": \"helmet.3\"}\n  ]\n}\n```"
)


def user_prompt(variant: str, classes: Sequence[str] = (), predicates: Sequence[str] = ()) -> str:
    """The user text of b.1; `closed` lists the allowed names (background excluded)."""
    parts = ["Generate a structured scene graph for the image using the following format:", _SCHEMA, _GUIDELINES]
    if variant == "closed":
        parts.append("Allowed object names: " + json.dumps([c for c in classes if c != "__background__"]))
        parts.append("Allowed predicates: " + json.dumps([p for p in predicates if p != "__background__"]))
    parts += [_EXAMPLE, "Now generate the complete scene graph for the provided image."]
    return "\n\n".join(parts)

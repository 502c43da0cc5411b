"""The starter forms every practice begins with (intake, consent, release of information, PHQ-9,
GAD-7, treatment plan), as migration `0002_seed_starter_forms` seeds them, and the idempotent
seeding itself.

Frozen with that migration: it is history, so it imports no live code (field types are the plain
strings a version stores) and must never change. New or changed starter forms need a new data
migration with its own frozen copy. The leading underscore keeps Django's migration loader from
reading this module as a migration. Seeding takes the model classes as arguments so the migration
passes its historical models.
"""

from __future__ import annotations

from typing import Any

# PHQ-9 / GAD-7 answer options, standard wording and scores.
FREQUENCY_OPTIONS: list[dict[str, Any]] = [
    {"value": "0", "label": "Not at all", "score": 0},
    {"value": "1", "label": "Several days", "score": 1},
    {"value": "2", "label": "More than half the days", "score": 2},
    {"value": "3", "label": "Nearly every day", "score": 3},
]

PHQ9_ITEMS: list[str] = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your "
    "family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — being "
    "so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
]

GAD7_ITEMS: list[str] = [
    "Feeling nervous, anxious, or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
]

PHQ9_BANDS: list[dict[str, Any]] = [
    {"min": 0, "max": 4, "label": "Minimal"},
    {"min": 5, "max": 9, "label": "Mild"},
    {"min": 10, "max": 14, "label": "Moderate"},
    {"min": 15, "max": 19, "label": "Moderately severe"},
    {"min": 20, "max": 27, "label": "Severe"},
]

GAD7_BANDS: list[dict[str, Any]] = [
    {"min": 0, "max": 4, "label": "Minimal"},
    {"min": 5, "max": 9, "label": "Mild"},
    {"min": 10, "max": 14, "label": "Moderate"},
    {"min": 15, "max": 21, "label": "Severe"},
]


def field(
    key: str,
    type_: str,
    label: str,
    *,
    help_text: str = "",
    required: bool = False,
    options: list[dict[str, Any]] | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> dict[str, Any]:
    """One field dict in the shape `FormVersion.fields` holds."""
    return {
        "key": key,
        "type": type_,
        "label": label,
        "help": help_text,
        "required": required,
        "options": [dict(option) for option in options] if options else [],
        "min": minimum,
        "max": maximum,
    }


def _choices(*labels: str) -> list[dict[str, Any]]:
    return [{"value": f"o{i}", "label": label, "score": None} for i, label in enumerate(labels, 1)]


def _phq9() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    fields = [
        field(
            "instructions",
            "heading",
            "Over the last 2 weeks, how often have you been bothered by any of the following "
            "problems?",
        )
    ]
    keys = []
    for number, text in enumerate(PHQ9_ITEMS, 1):
        key = f"phq9_{number}"
        keys.append(key)
        fields.append(field(key, "single_choice", text, required=True, options=FREQUENCY_OPTIONS))
    fields.append(
        field(
            "difficulty",
            "single_choice",
            "If you checked off any problems, how difficult have these problems made it for you "
            "to do your work, take care of things at home, or get along with other people?",
            options=_choices(
                "Not difficult at all",
                "Somewhat difficult",
                "Very difficult",
                "Extremely difficult",
            ),
        )
    )
    scoring = {
        "method": "sum",
        "keys": keys,
        "bands": PHQ9_BANDS,
        # Item 9 asks about self-harm: any answer above "Not at all" needs a clinician's attention.
        "flags": [{"key": "phq9_9", "min": 1, "label": "Self-harm item (item 9) answered above 0"}],
    }
    return fields, scoring


def _gad7() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    fields = [
        field(
            "instructions",
            "heading",
            "Over the last 2 weeks, how often have you been bothered by the following problems?",
        )
    ]
    keys = []
    for number, text in enumerate(GAD7_ITEMS, 1):
        key = f"gad7_{number}"
        keys.append(key)
        fields.append(field(key, "single_choice", text, required=True, options=FREQUENCY_OPTIONS))
    return fields, {"method": "sum", "keys": keys, "bands": GAD7_BANDS, "flags": []}


def _intake() -> list[dict[str, Any]]:
    return [
        field("about_you", "heading", "About you"),
        field("reason", "long_text", "What brings you to therapy?", required=True),
        field("goals", "long_text", "What would you like to be different when therapy has helped?"),
        field(
            "previous_therapy",
            "yes_no",
            "Have you seen a therapist or counsellor before?",
            required=True,
        ),
        field("medications", "long_text", "Current medications (name and dose), if any"),
        field("health", "heading", "Health and wellbeing"),
        field(
            "sleep",
            "scale",
            "How well have you been sleeping lately?",
            help_text="1 = very poorly, 5 = very well",
            minimum=1,
            maximum=5,
        ),
        field(
            "concerns",
            "multiple_choice",
            "Which of these are concerns for you right now?",
            options=_choices(
                "Mood",
                "Anxiety or worry",
                "Relationships",
                "Work or school",
                "Grief or loss",
                "Substance use",
                "Something else",
            ),
        ),
        field("anything_else", "long_text", "Is there anything else you would like us to know?"),
    ]


def _consent() -> list[dict[str, Any]]:
    return [
        field(
            "consent_text",
            "heading",
            "Informed consent for therapy",
            help_text=(
                "Therapy involves talking about personal matters and may bring up uncomfortable "
                "feelings. What you share is confidential, except where the law requires us to "
                "act: a serious risk of harm to you or others, suspected abuse of a child or "
                "vulnerable adult, or a court order. You may ask questions about your treatment "
                "at any time and may end therapy whenever you choose. Sessions cancelled at short "
                "notice may be charged according to the practice's cancellation policy."
            ),
        ),
        field(
            "understood",
            "yes_no",
            "I have read and understood the information above and consent to treatment.",
            required=True,
        ),
        field("signature", "signature", "Signature", required=True),
    ]


def _release() -> list[dict[str, Any]]:
    return [
        field(
            "release_text",
            "heading",
            "Authorisation to release information",
            help_text=(
                "I authorise the practice to share information about my treatment with the person "
                "or organisation named below, for the purpose stated. I may withdraw this "
                "authorisation in writing at any time."
            ),
        ),
        field("recipient", "short_text", "Name of the person or organisation", required=True),
        field("recipient_contact", "long_text", "Their address, phone or email", required=True),
        field("purpose", "long_text", "Purpose of the release", required=True),
        field(
            "information",
            "multiple_choice",
            "Information that may be shared",
            required=True,
            options=_choices(
                "Dates of attendance",
                "Diagnosis",
                "Treatment plan and progress",
                "Assessment results",
                "Discharge summary",
            ),
        ),
        field("expires_on", "date", "This authorisation expires on"),
        field("signature", "signature", "Signature", required=True),
    ]


def _treatment_plan() -> list[dict[str, Any]]:
    return [
        field(
            "plan_intro",
            "heading",
            "Treatment plan",
            help_text="Please review the plan agreed with your clinician, then sign below.",
        ),
        field("goals", "long_text", "Goals of treatment", required=True),
        field("approach", "long_text", "How we will work towards them"),
        field(
            "frequency",
            "single_choice",
            "How often we will meet",
            options=_choices("Weekly", "Every two weeks", "Monthly", "As needed"),
        ),
        field("review_on", "date", "Next review of this plan"),
        field(
            "agree",
            "yes_no",
            "I have reviewed this treatment plan and agree with it.",
            required=True,
        ),
        field("signature", "signature", "Signature", required=True),
    ]


def starter_definitions() -> list[dict[str, Any]]:
    """The six starter forms: `starter_key`, `kind`, `title`, `description`, `fields`, `scoring`."""
    phq9_fields, phq9_scoring = _phq9()
    gad7_fields, gad7_scoring = _gad7()
    return [
        {
            "starter_key": "intake",
            "kind": "intake",
            "title": "Intake questionnaire",
            "description": "A few questions before your first session.",
            "fields": _intake(),
            "scoring": None,
        },
        {
            "starter_key": "consent",
            "kind": "consent",
            "title": "Informed consent",
            "description": "Please read and sign before your first session.",
            "fields": _consent(),
            "scoring": None,
        },
        {
            "starter_key": "release_of_information",
            "kind": "release_of_information",
            "title": "Release of information",
            "description": "Allows the practice to share information with someone you name.",
            "fields": _release(),
            "scoring": None,
        },
        {
            "starter_key": "phq9",
            "kind": "phq9",
            "title": "PHQ-9 (depression)",
            "description": "Patient Health Questionnaire, 9 items.",
            "fields": phq9_fields,
            "scoring": phq9_scoring,
        },
        {
            "starter_key": "gad7",
            "kind": "gad7",
            "title": "GAD-7 (anxiety)",
            "description": "Generalised Anxiety Disorder assessment, 7 items.",
            "fields": gad7_fields,
            "scoring": gad7_scoring,
        },
        {
            "starter_key": "treatment_plan",
            "kind": "treatment_plan",
            "title": "Treatment plan",
            "description": "The plan agreed with your clinician, to review and sign.",
            "fields": _treatment_plan(),
            "scoring": None,
        },
    ]


STARTER_KEYS: tuple[str, ...] = tuple(d["starter_key"] for d in starter_definitions())


def starter_forms_seed(form_model: Any, version_model: Any) -> int:
    """Create each starter form missing from the current schema (by `starter_key`), with its
    version 1; return how many were made. Idempotent: a starter a practice already has (edited or
    archived included) is left alone."""
    made = 0
    existing = set(form_model.objects.exclude(starter_key="").values_list("starter_key", flat=True))
    for definition in starter_definitions():
        if definition["starter_key"] in existing:
            continue
        form = form_model.objects.create(
            title=definition["title"],
            kind=definition["kind"],
            description=definition["description"],
            starter_key=definition["starter_key"],
        )
        version_model.objects.create(
            form=form, number=1, fields=definition["fields"], scoring=definition["scoring"]
        )
        made += 1
    return made

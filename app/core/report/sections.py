"""The text sections of a report: header, technical description, tables, the review statement.

Each function turns facts into a section of :mod:`app.core.report.model`; nothing here
reads a file. Wording follows the ACNS Guideline 7 headings a neurophysiologist expects.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from app.core.filters import FilterSettings
from app.core.recording_info import Channel, RecordingInfo
from app.core.report.model import (
    Field,
    FieldsSection,
    ReportEvent,
    ReportOptions,
    ReviewerInputs,
    Table,
    TextSection,
)
from app.core.report.sources import NoteRow, ReportSources
from app.core.report.timeline import clock_at, clock_text, duration_text, hms

REVIEW_TEXT = {
    "accepted": "confirmed",
    "rejected": "rejected",
    "unreviewed": "not reviewed",
    "reviewer": "marked by reviewer",
}
NOT_GIVEN = "not given"


def _when(info: RecordingInfo, t_s: float) -> str:
    when = clock_at(info.start, t_s, info.gaps)
    return when.strftime("%Y-%m-%d %H:%M:%S") if when is not None else f"{hms(t_s)} (elapsed)"


def patient_fields(info: RecordingInfo, anon_id: str | None) -> tuple[Field, ...]:
    """Name, ID, birth date, sex; only an anonymised ID (and sex, age) when anonymised."""
    p = info.patient
    age = ""
    if p.birthdate is not None and info.start is not None:
        years = info.start.year - p.birthdate.year
        years -= (info.start.month, info.start.day) < (p.birthdate.month, p.birthdate.day)
        age = f"{years} years"
    sex = {"M": "male", "F": "female"}.get(p.sex, NOT_GIVEN)
    if anon_id is not None:
        return (Field("Patient", f"{anon_id} (anonymised)"), Field("Sex", sex),
                Field("Age at recording", age or NOT_GIVEN))  # fmt: skip
    birth = p.birthdate.isoformat() if p.birthdate is not None else NOT_GIVEN
    return (
        Field("Patient", p.name or NOT_GIVEN),
        Field("Patient ID", p.code or NOT_GIVEN),
        Field("Birth date", f"{birth} ({age})" if age else birth),
        Field("Sex", sex),
    )


def recording_fields(info: RecordingInfo, anonymised: bool) -> tuple[Field, ...]:
    fields = [
        Field("Recording start", _when(info, 0.0)),
        Field("Recording end", _when(info, info.duration_s)),
        Field("Duration", f"{hms(info.duration_s)} ({duration_text(info.duration_s)})"),
    ]
    if info.gaps:
        missing = sum(g.duration for g in info.gaps)
        fields.append(Field("Gaps", f"{len(info.gaps)} ({duration_text(missing)} not recorded)"))
    if not anonymised:
        fields.append(Field("File", info.path.name))
        if info.recording_id:
            fields.append(Field("Recording ID", info.recording_id))
        if info.technician:
            fields.append(Field("Technician", info.technician))
    fields.append(Field("Format", info.format + (f", {info.equipment}" if info.equipment else "")))
    return tuple(fields)


def referral_fields(reviewer: ReviewerInputs) -> tuple[Field, ...]:
    pairs = (
        ("Referring physician", reviewer.referring_physician),
        ("Indication", reviewer.indication),
        ("Medication", reviewer.medication),
        ("Interpreting physician", reviewer.reviewer),
    )
    return tuple(Field(label, value.strip() or NOT_GIVEN) for label, value in pairs)


def filter_text(settings: FilterSettings) -> str:
    def hz(value: float | None) -> str:
        return f"{value:g} Hz" if value is not None else "off"

    return (
        f"high-pass {hz(settings.highpass)}, low-pass {hz(settings.lowpass)}, "
        f"notch {hz(settings.notch)} (Butterworth order 4, zero-phase)"
    )


def channel_text(channels: Sequence[Channel], sfreq: float) -> str:
    kinds = Counter(str(ch.type) for ch in channels if str(ch.type) != "ANNOTATION")
    parts = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
    return f"{sum(kinds.values())} ({parts}), read at {sfreq:g} Hz"


def technical_section(
    info: RecordingInfo,
    channels: Sequence[Channel],
    sources: ReportSources,
    options: ReportOptions,
    *,
    montage_text: str,
    scale_text: str,
    software: str,
) -> FieldsSection:
    fields = [
        Field("Channels", channel_text(channels, info.sfreq)),
        Field("Montages", montage_text),
        Field("Filters", filter_text(options.filters)),
        Field("Sensitivity, timebase", scale_text),
        Field("Software", software),
    ]
    model = sources.model
    if model is None:
        fields.append(Field("Seizure model", "not run on this recording"))
    else:
        state = "complete" if sources.complete else "incomplete (partial results)"
        described = f"{model.model_name} {model.version} ('{model.name}'), analysis {state}"
        rule = (
            f"seizure probability ≥ {sources.threshold:.2f} per second; "
            "ECAM = the model's per-channel seizure probability"
        )
        fields += [
            Field("Seizure model", described),
            Field("Checkpoint SHA-256", model.checkpoint_sha256),
            Field("Detection", rule),
        ]
    fields.append(Field("Trends", "CDSA 0.5–20 Hz, 10-s bins, mean over each hemisphere"))
    return FieldsSection("Technical description", tuple(fields))


def events_table(events: Sequence[ReportEvent]) -> Table:
    rows = tuple(
        (
            str(e.number),
            e.clock,
            hms(e.onset_s),
            duration_text(e.duration_s),
            f"{e.probability:.2f}" if e.probability is not None else "–",
            f"{e.type_label} ({e.type_source})",
            ", ".join(e.channels) or "–",
            REVIEW_TEXT.get(e.review, e.review),
        )
        for e in events
    )
    return Table(
        "Events",
        ("#", "Onset", "Elapsed", "Duration", "Prob.", "Type (source)", "Leading", "Review"),
        rows,
        widths=(3, 13, 9, 10, 6, 34, 14, 11),
        right=(0, 3, 4),
        empty="No seizures were detected or marked.",
    )


def reviewer_sections(reviewer: ReviewerInputs) -> list[TextSection]:
    def paragraphs(text: str, empty: str) -> tuple[str, ...]:
        parts = tuple(p.strip() for p in text.replace("\r", "").split("\n\n") if p.strip())
        return parts or (empty,)

    out = [
        TextSection("Findings", paragraphs(reviewer.findings, "No findings entered.")),
        TextSection("Impression", paragraphs(reviewer.impression, "No impression entered.")),
    ]
    if reviewer.clinical_correlation.strip():
        correlation = paragraphs(reviewer.clinical_correlation, "")
        out.append(TextSection("Clinical correlation", correlation))
    return out


def annotation_sections(
    notes: Sequence[NoteRow], start: datetime | None, info: RecordingInfo
) -> list[Table | TextSection]:
    """The reviewer's annotations in a table; the file's own annotations counted."""
    mine = [n for n in notes if n.origin == "reviewer" or n.edited]
    rows = tuple(
        (
            clock_text(start, n.onset, info.gaps),
            duration_text(n.duration) if n.duration > 0 else "–",
            n.description,
            ", ".join(n.channels) or "all",
            "reviewer" if n.origin == "reviewer" else "file, edited",
        )
        for n in mine
    )
    table = Table(
        "Reviewer's annotations",
        ("Onset", "Duration", "Annotation", "Channels", "Origin"),
        rows,
        widths=(12, 11, 42, 20, 15),
        empty="The reviewer made no annotations.",
    )
    others = Counter(n.description for n in notes if n.origin == "file" and not n.edited)
    if not others:
        return [table]
    listed = ", ".join(f"{d} × {k}" for d, k in others.most_common(8))
    more = len(others) - 8
    text = f"{sum(others.values())} annotations: {listed}"
    if more > 0:
        text += f", and {more} other labels"
    return [table, TextSection("Annotations in the recording file", (text,))]


def review_statement(events: Sequence[ReportEvent], sources: ReportSources) -> str:
    """The plain statement every page carries: computer-assisted, reviewed or not."""
    if sources.model is None:
        return "No computer-assisted seizure detection was run on this recording."
    detected = [e for e in events if e.review != "reviewer"]
    reviewed = sum(1 for e in detected if e.review != "unreviewed")
    model = f"{sources.model.model_name} {sources.model.version}"
    if not detected:
        return f"Seizure detection was computer-assisted ({model}); it detected no seizures."
    if reviewed == len(detected):
        return (f"Seizure detections are computer-assisted ({model}) and were reviewed by a "
                f"clinician ({reviewed} of {len(detected)}).")  # fmt: skip
    if reviewed == 0:
        return (f"Seizure detections are computer-assisted ({model}) and were NOT reviewed "
                f"by a clinician ({len(detected)} unreviewed).")  # fmt: skip
    return (f"Seizure detections are computer-assisted ({model}); {reviewed} of "
            f"{len(detected)} were reviewed by a clinician, the rest were NOT.")  # fmt: skip

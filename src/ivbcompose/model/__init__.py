"""The content model of an Integraal Veiligheidsbeleid, as pydantic models.

`meta` holds who and what (municipality, basisteam, document metadata),
`outline` the chapters and sections, `blocks` the typed content blocks,
`planning` the quarters of a planning table. Field names are the YAML keys
(English); the values are the Dutch text that ends up in the document.

Every model forbids unknown fields and is strict (no silent "2020" → 2020), so a
typo in the YAML is a clear error, not a missing paragraph. Text fields are
Markdown or plain text with Jinja2 variables; they are rendered after validation.
"""

from .base import (
    COMPOSED,
    ID_PATTERN,
    Base,
    Item,
    Label,
    LocatedError,
    Role,
    field_label,
    fields_holding,
    is_composed,
    items_by_id,
    model_classes,
    naming_fields,
    prepare,
    text_fields,
)
from .blocks import (
    Bbv,
    BlockModel,
    CrimeFigures,
    CrimeRow,
    CrimeTable,
    Figures,
    Finances,
    FocusArea,
    FocusAreas,
    ListBlock,
    Partners,
    Planning,
    ProgressReport,
    RelatedSubjects,
    TableBlock,
    TextBlock,
    Velden,
    YearProgramme,
)
from .figures import FigureFile, FigurePointer, FigureSeries
from .kinds import STATUSES, IndicatorProgress, Kind, MeasureProgress, Progress
from .meta import Basisteam, DocumentMeta, Member, Municipality, Period
from .outline import MAX_LEVEL, Chapter, Ivb, Section, complete_models
from .planning import Quarter, format_quarters, parse_quarters
from .policy import UNITS, VELDEN, Baseline, Cost, Goal, Indicator, Measure

__all__ = [
    "COMPOSED",
    "ID_PATTERN",
    "MAX_LEVEL",
    "STATUSES",
    "UNITS",
    "VELDEN",
    "Base",
    "Baseline",
    "Basisteam",
    "Bbv",
    "BlockModel",
    "Chapter",
    "Cost",
    "CrimeFigures",
    "CrimeRow",
    "CrimeTable",
    "DocumentMeta",
    "FigureFile",
    "FigurePointer",
    "FigureSeries",
    "Figures",
    "Finances",
    "FocusArea",
    "FocusAreas",
    "Goal",
    "Indicator",
    "IndicatorProgress",
    "Item",
    "Ivb",
    "Kind",
    "Label",
    "ListBlock",
    "LocatedError",
    "Measure",
    "MeasureProgress",
    "Member",
    "Municipality",
    "Partners",
    "Period",
    "Planning",
    "Progress",
    "ProgressReport",
    "Quarter",
    "RelatedSubjects",
    "Role",
    "Section",
    "TableBlock",
    "TextBlock",
    "Velden",
    "YearProgramme",
    "complete_models",
    "field_label",
    "fields_holding",
    "format_quarters",
    "is_composed",
    "items_by_id",
    "model_classes",
    "naming_fields",
    "parse_quarters",
    "prepare",
    "text_fields",
]

"""The schema `kind` of a party name; see `classify_party` for the rule order."""
from __future__ import annotations

import re
from typing import Optional

from language.words import capitalize, is_abbreviation
from normalizers.parties.tokens import Group
from normalizers.parties.words import EXPANSIONS, ORG_FORMS, SCHOOL_FORMS
from normalizers.text import clean_text

def _ci(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


_CURATOR = _ci(r"^(куратор|наставник|тьютор|консультант)")
_PERSON = _ci(r"^((?:\w+(?:ий|ый|ой|ие|ые)\s+)?(?:директор\w*|руководител\w*|заместител\w*|специалист\w*"
              r"|сотрудник\w*|представител\w*|член\w*|учител\w*|педагог\w*|работник\w*|команд\w*"
              r"|эксперт\w*|психолог\w*|методист\w*))\b")
_SCHOOL_START = _ci(
    r"^((школ|гимнази|лице[йя]|школьн\w* (участник|команд))"
    r"|(\w+ )?(обще)?образовательн\w* (организаци|учреждени)|участни(к|ц)|центр\w* образования\b(?! и))"
)
_FEDERAL = _ci(r"(фиоко|рособрнадзор|минпросвещени|министерств\w* просвещени|российской федерации"
               r"|\bфипи\b|\bфгбну\b|федеральн\w* (оператор|координатор|институт|служб|центр|куратор|эксперт))")
_MUNICIPAL = _ci(r"(муниципальн|\bмоуо\b|местного самоуправления|администраци\w* (города|городского|район|муниципальн)"
                 r"|\bгорода\b|\bрайона\b|городского округа|\bимц\b|информационно-методическ\w* центр"
                 r"|(?-i:(^|\s)г\.\s*о?\.?\s*[А-ЯЁ]))")
_MUNICIPAL_FORMS = ("МАУ", "МБУ", "МКУ", "МУ")
_OPERATOR = _ci(r"(региональн\w* (оператор|координатор)|территориальн\w* (оператор|координатор)"
                r"|(^|\s)(оператор|координатор)\w*|университет|институт\w* развития|развития образования"
                r"|повышения квалификации|\bдпо\b|оценки качества|ресурсн\w* центр|профессионального мастерства"
                r"|обработки информации|непрерывного (образования|повышения)|методическ\w* центр"
                r"|(^|[\s«\"])(институт\w*|центр(?:а|у|ом|е|ы|ов)?|академи\w*)\b)")
_AUTHORITY = _ci(r"(^|\s)(департамент|министерств|министр|управлени|комитет|агентств|отдел|минобр|служб)\w*")
_REGION_QUALIFIER = _ci(r"(област|кра[яй]|республик|автономн\w* округ|\bсубъект)")
_OPERATOR_ABBR = re.compile(r"(ИР+О|ИПК|ЦОКО|РЦОИ|ЦНППМ|ЦОПМ|ИПКРО|ИРОиПК|ИРОИПК)")


def classify_party(name: str, issuer_level: Optional[str] = None) -> str:
    """The schema `kind` of a canonical party name. Rule order (first match wins):

    curator heads (кураторы, наставники, тьюторы, консультанты) → person groups (директора,
    руководители, методисты, члены, команды …) take the kind of what follows them
    (`руководители МОУО` → municipal, `методисты ГБУ ДПО «… ресурсный центр»` → regional
    operator, `члены окружных УМО` → other; with nothing after them: методисты → curator,
    school staff words → school, others → other) → school words at the start (школы…, ОО,
    образовательные организации, named schools МБОУ/ГБОУ/СОШ) → federal (ФИОКО,
    Рособрнадзор, Минпросвещения, федеральный оператор) → municipal (муниципальный …,
    МОУО, администрация города, ИМЦ, МАУ/МБУ) → regional operator (региональный
    оператор/координатор, institutes, universities, ДПО, assessment and resource centres)
    → authorities (департамент, министерство, управление …): regional when a region is
    named, otherwise by `issuer_level` (municipal → municipal, else regional_authority)
    → anything mentioning schools → operator-like abbreviations (…ИРО, ИПК, ЦОКО) → other.
    """
    n = clean_text(name)
    if not n:
        return "other"
    first = n.split()[0].strip("«»\"")
    if _CURATOR.match(n):
        return "curator"
    m = _PERSON.match(n)
    if m:
        rest = n[m.end():].strip(" -–—,")
        sub = classify_party(rest, issuer_level) if rest else "other"
        if sub != "other":
            return "school" if sub == "curator" else sub
        if re.search(r"(?i)методист", m.group(0)):
            return "curator"
        return "school" if re.search(r"(?i)директор|учител|педагог|команд|школьн", m.group(0)) else "other"
    # `ГАОУ ДПО «… институт развития образования»`: an educational institution, not a school
    adult_education = re.search(r"\bДПО\b|\bВО\b|институт|университет|академи", n, re.I)
    if _SCHOOL_START.match(n) or (first in SCHOOL_FORMS and not adult_education) or (first in ORG_FORMS and re.search(r"\b(СОШ|ООШ|НОШ)\b|школ|гимнази|лице[йя]", n, re.I) and not first.startswith("Ф")):
        return "school"
    if _FEDERAL.search(n):
        return "federal"
    if _MUNICIPAL.search(n) or first in _MUNICIPAL_FORMS:
        return "municipal"
    if _OPERATOR.search(n):
        return "regional_operator"
    if _AUTHORITY.search(n):
        if _REGION_QUALIFIER.search(n):
            return "regional_authority"
        return "municipal" if issuer_level == "municipal" else "regional_authority"
    if re.search(r"(?i)школ|общеобразовательн\w* организаци", n):
        return "school"
    if first in EXPANSIONS:
        return EXPANSIONS[first]["kind"]
    if is_abbreviation(first) and _OPERATOR_ABBR.search(first):
        return "regional_operator"
    return "other"


def kind_of(group: Group, full_name: str, issuer_level: Optional[str]) -> str:
    toks = [t for t in group.toks if t.kind != "paren"]
    if len(toks) == 1 and toks[0].text in EXPANSIONS \
            and full_name == capitalize(EXPANSIONS[toks[0].text]["name"]):
        return EXPANSIONS[toks[0].text]["kind"]
    return classify_party(full_name, issuer_level)

"""normalizers.vocabulary and the data it reads; language.morphology / language.inflection."""
from __future__ import annotations

import json
import re

import pytest

from language.inflection import inflect_phrase
from language.morphology import get_morph, is_dictionary_word, lemma, parse_word
from language.words import is_abbreviation, is_caps_text
from normalizers import vocabulary
from normalizers.parties.classify import _TESTS

DATA_FILES = sorted(vocabulary.DATA.glob("*.json"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_every_data_file_is_json_with_a_comment(path):
    data = json.loads(path.read_text("utf-8"))
    assert isinstance(data, dict) and "_comment" in data or path.name == "regions.json"


def _lists(node):
    if isinstance(node, list):
        if node and all(isinstance(x, str) for x in node):
            yield node
        for x in node:
            yield from _lists(x)
    elif isinstance(node, dict):
        for v in node.values():
            yield from _lists(v)


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_no_word_list_repeats_a_word(path):
    for words in _lists(json.loads(path.read_text("utf-8"))):
        assert len(words) == len(set(words)), [w for w in words if words.count(w) > 1]


def test_party_kind_rules_are_ordered_and_each_test_exists():
    rules = vocabulary.party_kind_rules()
    assert [r.test for r in rules][:3] == ["match", "person_group", "school"]
    assert all(r.test in _TESTS for r in rules)
    assert rules is vocabulary.party_kind_rules()  # compiled once


def test_body_heads_are_one_list_with_uses():
    letterhead, party = vocabulary.body_heads("letterhead"), vocabulary.body_heads("party")
    assert {"департамент", "министерство", "мэрия"} <= letterhead and "мэрия" not in party
    assert {"университет", "школа"} <= party and "школа" not in letterhead
    assert vocabulary.genitive_heads("letterhead")["министерства"] == "министерство"
    assert "кабинета" in vocabulary.genitive_heads() and "кабинета" not in vocabulary.genitive_heads("letterhead")


def test_fill_replaces_only_empty_braces():
    assert vocabulary.fill(r"^(?:{})\s{0,3}(?:{})$", ["а", "б"], ["в"]) == r"^(?:а|б)\s{0,3}(?:в)$"
    with pytest.raises(ValueError):
        vocabulary.fill("{}", ["а"], ["б"])
    assert vocabulary.pattern("{}", ["а", "б"], flags=re.I) is vocabulary.pattern("{}", ["а", "б"], flags=re.I)


def test_morphology_is_loaded_once_with_its_helpers():
    assert get_morph() is get_morph()
    assert is_dictionary_word("школа") and not is_dictionary_word("шнор")
    assert parse_word("школы")[0].normal_form == "школа" and lemma("школы") == "школа"


@pytest.mark.parametrize("phrase,expected", [
    ("южского муниципального района", "южский муниципальный район"),
    ("березовского муниципального района", "березовский муниципальный район"),  # not a surname
    ("старого городского поселения", "старое городское поселение"),
])
def test_head_last_inflection_reads_the_last_word_as_the_noun(phrase, expected):
    assert inflect_phrase(phrase, "nomn", head_last=True) == expected


def test_two_caps_predicates():
    assert is_abbreviation("ДОиН") and not is_abbreviation("Департамент")
    assert is_caps_text("ДЕПАРТАМЕНТ образования") is False and is_caps_text("ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ ТО")

"""The actor gazetteer: the real data file loads, covers every country, and bad files fail clearly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pycountry
import pytest

from supplywatch.config import GAZETTEER_FILE, PROJECT_ROOT
from supplywatch.exceptions import GazetteerError
from supplywatch.actors.gazetteer import ACTOR_TYPES, Actor, load_gazetteer


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "actors.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_gazetteer_loads_and_is_cached():
    gaz = load_gazetteer()
    assert gaz is load_gazetteer()
    assert {a.type for a in gaz} <= set(ACTOR_TYPES)
    assert gaz.path == GAZETTEER_FILE


def test_every_pycountry_country_is_present():
    gaz = load_gazetteer()
    missing = [c.alpha_3 for c in pycountry.countries if c.alpha_3 not in gaz]
    assert missing == []
    assert all(gaz[c.alpha_3].type == "country" for c in pycountry.countries)


@pytest.mark.parametrize("name, actor_id", [
    ("US", "USA"), ("u.s.", "USA"), ("United States of America", "USA"), ("America", "USA"),
    ("UK", "GBR"), ("Britain", "GBR"), ("South Korea", "KOR"), ("Russia", "RUS"), ("Iran", "IRN"),
    ("Taiwan", "TWN"), ("Vietnam", "VNM"), ("EU", "EU"), ("G7", "G7"), ("OPEC", "OPEC"),
    ("ASEAN", "ASEAN"), ("BRICS", "BRICS"), ("WTO", "WTO"), ("IMF", "IMF"), ("World Bank", "WORLD-BANK"),
    ("IEA", "IEA"), ("USGS", "USGS"), ("Chinese Foreign Ministry", "CHN-MFA"), ("Lin Jian", "lin-jian"),
    ("Sun Weidong", "sun-weidong"), ("Pradeep Kumar Rawat", "pradeep-kumar-rawat"),
    ("Donald Trump", "donald-trump"), ("Lynas", "lynas"), ("MP Materials", "mp-materials"),
    ("China Northern Rare Earth", "china-northern-rare-earth"), ("Hitachi Metals", "proterial"),
    ("PTI", "PTI"), ("Reuters", "reuters"), ("Xinhua", "xinhua"), ("China’s", "CHN"),
])
def test_lookup_names_and_aliases(name, actor_id):
    actor = load_gazetteer().lookup(name)
    assert isinstance(actor, Actor)
    assert actor.id == actor_id


def test_lookup_unknown_and_metonym_is_none():
    gaz = load_gazetteer()
    assert gaz.lookup("Atlantis") is None
    assert gaz.lookup("London") is None  # a place, not an actor


def test_people_have_surnames_and_affiliation():
    gaz = load_gazetteer()
    assert gaz["lin-jian"].surname == "Lin"
    assert gaz["donald-trump"].surname == "Trump"
    assert gaz["lin-jian"].country == "CHN"


OK_ENTRY = "  - {id: AAA, name: Aland, type: country}\n"


@pytest.mark.parametrize("body, fragment", [
    ("actors:\n" + OK_ENTRY + "  - {id: BBB, name: Bland, type: country, aliases: [Aland]}\n",
     "already claimed by actor 'AAA'"),
    ("actors:\n" + OK_ENTRY + "  - {id: AAA, name: Other, type: country}\n", "duplicate id 'AAA'"),
    ("actors:\n  - {id: x, name: X, type: planet}\n", "unknown type 'planet'"),
    ("actors:\n  - {id: x, type: company}\n", "'name' is required"),
    ("actors:\n  - just a string\n", "must be a mapping"),
    ("actors:\n  - {id: x, name: X, type: company, alias: [Y]}\n", "unknown field(s) 'alias'"),
    ("actors:\n  - {id: x, name: X, type: company, aliases: Y: Z}\n", "invalid YAML"),
    ("actors: {}\n", "'actors:' list"),
    ("actors:\n" + OK_ENTRY + "non_actors: [Aland]\n", "non_actors phrase 'Aland'"),
    ("actors:\n  - {id: x, name: X, type: company, affiliation: Nowhere}\n", "affiliation 'Nowhere'"),
])
def test_bad_files_name_file_entry_and_fix(tmp_path, body, fragment):
    path = _write(tmp_path, body)
    with pytest.raises(GazetteerError) as info:
        load_gazetteer(path)
    message = str(info.value)
    assert fragment in message
    assert str(path) in message


def test_error_names_the_entry(tmp_path):
    path = _write(tmp_path, "actors:\n" + OK_ENTRY + "  - {id: broken, name: B, type: nope}\n")
    with pytest.raises(GazetteerError, match=r"entry broken \(position 2\).*allowed: country"):
        load_gazetteer(path)


def test_missing_file(tmp_path):
    with pytest.raises(GazetteerError, match="not found"):
        load_gazetteer(tmp_path / "nope.yaml")


def test_user_file_is_reloaded_when_edited(tmp_path):
    path = _write(tmp_path, "actors:\n" + OK_ENTRY)
    assert load_gazetteer(path).lookup("Aland").id == "AAA"
    path.write_text("actors:\n  - {id: ZZZ, name: Zland, type: country, aliases: [Zed land]}\n", encoding="utf-8")
    gaz = load_gazetteer(path)
    assert gaz.lookup("Aland") is None and gaz.lookup("zed LAND").id == "ZZZ"


def test_country_block_is_up_to_date():
    script = PROJECT_ROOT / "scripts" / "build_gazetteer.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr

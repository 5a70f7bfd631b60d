"""What-if on another methodology version: a year's actual scores laid onto a revised
version by node code (same share of each leaf's maximum), the revised version's new leaves
listed as unmapped, the leaves it dropped listed; through the API and the staff's page."""

import pytest

from motcua.indices.methodology import METHODOLOGY_DIR, methodology_store, read_file
from motcua.indices.models import Assessment, Score
from motcua.indices.selectors import methodology_latest
from motcua.indices.services import assessment_open, score_self

pytestmark = pytest.mark.django_db


@pytest.fixture
def revised(world):
    """hp-departments 2025.1 scored for 2025, and a revision 2025.2 (from 1 July 2025):
    1.1.1 worth 1.5 instead of 2.5, 1.1.2 worth 3.5 instead of 2.5, 1.2.2 replaced by a new
    sub-criterion 1.2.3 on the two-level local government."""
    current = methodology_latest("hp-departments")
    reform = world.user("demo-reform")
    plan = {"SO-TP": {"1.1.1": "2.5", "1.1.2": "1.25", "1.2.2": "3.5"}, "SO-TC": {"1.2.1": "3.5"}}
    for code, leaves in plan.items():
        a = assessment_open(methodology=current, year=2025, agency=world.agency(code))
        for leaf, points in leaves.items():
            score_self(actor=reform, assessment=a, node_code=leaf, points=points)
    doc = read_file(METHODOLOGY_DIR / "hp-departments.yaml")
    doc["version"], doc["effective_from"] = "2025.2", "2025-07-01"
    nodes = []
    for node in doc["nodes"]:
        node = dict(node)
        if node["code"] == "1.1.1":
            node["max_points"] = 1.5
        elif node["code"] == "1.1.2":
            node["max_points"] = 3.5
        elif node["code"] == "1.2.2":
            node.update(code="1.2.3", name_vi="Triển khai chính quyền địa phương hai cấp")
            node["name_en"] = "Two-level local government in practice"
        nodes.append(node)
    doc["nodes"] = nodes
    target, _ = methodology_store(doc)
    return current, target


def test_what_if_api_carries_scores_over_by_code(world, api_client, revised):
    # given
    before = (Assessment.objects.count(), Score.objects.count())
    # when
    response = api_client.post(
        "/api/v1/indices/what-if/methodology",
        {
            "methodology": "hp-departments",
            "year": 2025,
            "target_methodology": "hp-departments",
            "target_version": "2025.2",
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token('demo-reform')}"},
    )
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["source"] == {"code": "hp-departments", "version": "2025.1", "year": 2025}
    assert body["target"] == {"code": "hp-departments", "version": "2025.2"}
    rows = {r["subject"]: r for r in body["rows"]}
    # SO-TP: 2.5/2.5 → 1.5/1.5, 1.25/2.5 → 1.75/3.5, 1.2.2 dropped: 7.25 → 3.25
    assert rows["SO-TP"]["before"]["points"] == 7.25 and rows["SO-TP"]["after"]["points"] == 3.25
    assert rows["SO-TC"]["after"]["points"] == 3.5
    assert (rows["SO-TP"]["before"]["rank"], rows["SO-TP"]["after"]["rank"]) == (1, 2)
    assert rows["SO-TC"]["rank_change"] == 1
    assert [n["code"] for n in body["unmapped"]] == ["1.2.3"]
    assert [n["code"] for n in body["dropped"]] == ["1.2.2"]
    assert len(body["carried"]) == 27
    assert (Assessment.objects.count(), Score.objects.count()) == before  # nothing stored


def test_what_if_api_refuses_the_same_version_and_citizens(world, api_client, revised):
    def post(username, **extra):
        return api_client.post(
            "/api/v1/indices/what-if/methodology",
            {"methodology": "hp-departments", "year": 2025, **extra},
            content_type="application/json",
            headers={"Authorization": f"Bearer {world.token(username)}"},
        )

    same = post("demo-reform", target_methodology="hp-departments", target_version="2025.1")
    assert same.status_code == 400 and same.json()["code"] == "same_methodology"
    missing = post("demo-reform", target_methodology="hp-departments", target_version="9")
    assert missing.status_code == 404
    citizen = post("demo-citizen", target_methodology="par-province-2022")
    assert citizen.status_code == 403


def test_what_if_page_shows_both_sides_and_the_unmapped_leaves(world, client, revised):
    client.force_login(world.user("demo-leader"))
    page = client.get("/chi-so/?m=hp-departments&y=2025").content.decode()
    assert 'id="idx-what-if-link"' in page
    html = client.get(
        "/chi-so/gia-dinh/?m=hp-departments&y=2025&t=hp-departments@2025.2"
    ).content.decode()
    table = html.split('id="idx-what-if"', 1)[1].split("</table>", 1)[0]
    tp = table.split('data-subject="SO-TP"', 1)[1].split("</tr>", 1)[0]
    assert "7,25" in tp and "3,25" in tp
    unmapped = html.split('id="idx-what-if-unmapped"', 1)[1].split("</table>", 1)[0]
    assert "1.2.3" in unmapped and "Triển khai chính quyền địa phương hai cấp" in unmapped
    assert "1.2.2" in html.split('id="idx-what-if-dropped"', 1)[1].split("</table>", 1)[0]
    assert client.get("/chi-so/gia-dinh/").status_code == 200
    client.force_login(world.user("demo-citizen"))
    assert client.get("/chi-so/gia-dinh/").status_code == 403

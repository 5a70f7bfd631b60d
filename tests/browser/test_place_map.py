"""A citizen picks the place of a petition on the offline map: the ward is filled from the point,
the petition is sent with it, and the page asks nothing of any other host."""

from urllib.parse import urlparse

import pytest

from motcua.feedback.models import Petition

pytestmark = pytest.mark.browser

CHO_HANG = (20.8405, 106.6838)  # Chợ Hàng, Phường Lê Chân
LE_CHAN = "11383"
LOOPBACK = {"127.0.0.1", "localhost"}


@pytest.fixture(autouse=True)
def categories(page):
    """The petition categories, which a transactional test's flush took away."""
    from motcua.feedback.categories import load_categories
    from motcua.feedback.models import Category

    if not Category.objects.exists():
        load_categories(Category)


def _click_on_map(page, lat: float, lon: float, zoom: int) -> None:
    """Centre the map near the place as a citizen zooming in would, then click on it."""
    x, y = page.evaluate(
        """([lat, lon, zoom]) => {
            const map = document.getElementById('place-map').leafletMap;
            map.setView([lat, lon], zoom, {animate: false});
            const p = map.latLngToContainerPoint([lat, lon]);
            return [p.x, p.y];
        }""",
        [lat, lon, zoom],
    )
    page.locator("#place-map").click(position={"x": x, "y": y})


def test_clicking_the_map_fills_the_ward_and_the_petition_is_sent_there(
    page, live_server, tmp_path
):
    hosts, errors = set(), []
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname))
    page.on("pageerror", lambda error: errors.append(str(error)))
    # given: the first step of a petition
    page.goto("/phan-anh/gui/")
    page.select_option("#id_category", "HT03")
    page.wait_for_selector("#place-map.leaflet-container path")  # the outline is drawn
    # when: she clicks on Chợ Hàng
    _click_on_map(page, *CHO_HANG, zoom=15)
    # then: the ward, the coordinates and the status line are filled
    assert errors == []
    assert page.input_value("#id_ward") == LE_CHAN
    assert float(page.input_value("#id_lat_text")) == pytest.approx(CHO_HANG[0], abs=0.0005)
    assert float(page.input_value("#id_long_text")) == pytest.approx(CHO_HANG[1], abs=0.0005)
    assert "Phường Lê Chân" in page.inner_text("#place-map-status")
    page.screenshot(path=str(tmp_path / "map.png"))
    # and: sending goes on with that ward
    page.locator("main form button[type=submit]").click()
    page.fill("#id_description", "Cống trước chợ Hàng tắc, mưa là ngập nửa mét.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/da-gui/**")
    petition = Petition.objects.latest("pk")
    assert petition.ward is not None and petition.ward.code == LE_CHAN
    assert petition.lat == pytest.approx(CHO_HANG[0], abs=0.0005)
    # and: nothing was asked of any host but the test server, on the loopback
    assert hosts == {urlparse(live_server.url).hostname} <= LOOPBACK


def test_a_click_outside_the_city_says_so_and_the_server_refuses_it(page, live_server):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname))
    page.goto("/phan-anh/gui/")
    page.select_option("#id_category", "HT01")
    page.wait_for_selector("#place-map.leaflet-container path")
    # when: she clicks on Hạ Long, across the Bạch Đằng river in Quảng Ninh
    _click_on_map(page, 20.95, 107.08, zoom=11)
    # then: the page says it is outside, leaves the ward alone, and step one refuses it
    assert page.inner_text("#place-map-status") == "Điểm này nằm ngoài địa bàn thành phố."
    assert page.input_value("#id_ward") == ""
    page.locator("main form button[type=submit]").click()
    assert "nằm ngoài địa bàn thành phố" in page.inner_text("main")
    assert hosts == {urlparse(live_server.url).hostname} <= LOOPBACK

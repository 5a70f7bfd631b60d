"""Vietnamese folding and collation: what search and sorting stand on."""

from motcua.common.text import fold, fold_name, vi_sort_key


def test_fold_removes_every_diacritic_and_maps_d_stroke():
    """Stacked marks (ộ, ễ, ữ) and đ/Đ fold to plain ASCII letters."""
    assert fold("Đăng ký KHAI SINH") == "dang ky khai sinh"
    assert fold("Cộng hòa xã hội chủ nghĩa Việt Nam") == "cong hoa xa hoi chu nghia viet nam"
    assert fold("Nguyễn Thị Ngữ, Đồ Sơn") == "nguyen thi ngu do son"


def test_fold_collapses_punctuation_and_spaces():
    """Punctuation becomes a word break so “cha, mẹ, con” matches “cha me con”."""
    assert fold("  cha,  mẹ;con (có yếu tố nước ngoài)  ") == "cha me con co yeu to nuoc ngoai"


def test_fold_name_drops_leading_thu_tuc():
    """Published names often start with “Thủ tục”; ranking compares what follows."""
    assert fold_name("Thủ tục đăng ký khai sinh") == "dang ky khai sinh"
    assert fold_name("Đăng ký thành lập hộ kinh doanh") == "dang ky thanh lap ho kinh doanh"


def test_vietnamese_sort_order():
    """Dictionary order puts a < ă < â < b and d < đ, unlike code points for composed forms."""
    names = ["Đồ Sơn", "Dương Kinh", "Ân Thi", "An Lão", "Ăn Quả", "Bạch Long Vĩ"]
    assert sorted(names, key=vi_sort_key) == [
        "An Lão",
        "Ăn Quả",
        "Ân Thi",
        "Bạch Long Vĩ",
        "Dương Kinh",
        "Đồ Sơn",
    ]

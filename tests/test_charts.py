"""Chart builders: each draws on a plain matplotlib Figure with the Agg backend, in English and Chinese.

Drawn from a real segmentation of the bundled sample; what the figure shows
(points, bars, cells, labels) is checked against the analysis. Chinese text
must find a CJK font: matplotlib warns "Glyph … missing from font(s)" when it
does not, and a control drawing with DejaVu Sans only shows that the warning
check can fail. The core never imports pyplot (checked in a fresh process).
"""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import warnings

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, fontManager

from persona_desktop.core.segments.run import segment_inspection
from persona_desktop.core.charts import NOISE_COLOUR, PALETTE, configure_fonts, new_figure
from persona_desktop.core.charts.segments import draw_customer_map, draw_profile_heatmap, draw_segment_sizes
from persona_desktop.core.paths import sample_path
from persona_desktop.core.segments.personas import feature_label
from persona_desktop.core.table.understand import inspect_file

LANGS = ("en", "zh")


@pytest.fixture(scope="module")
def analysis():
    """The bundled sample (a slice of Online Retail), segmented the default way."""
    return segment_inspection(inspect_file(sample_path()), stability_runs=0)


def render(fig: Figure) -> np.ndarray:
    """Draw with Agg and return the pixels; also save a PNG."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    png = io.BytesIO()
    fig.savefig(png, format="png")
    assert png.getvalue().startswith(b"\x89PNG")
    return np.asarray(canvas.buffer_rgba())


def glyph_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught if "missing from font" in str(w.message) or "findfont" in str(w.message)]


def names_of(analysis, lang):
    return {p.segment: p.display_name(lang) for p in analysis.personas}


# ----------------------------------------------------------- no pyplot
def test_the_core_never_imports_pyplot():
    code = (
        "import sys, numpy as np\n"
        "import persona_desktop.core.charts as charts\n"
        "import persona_desktop.core.charts.segments as seg\n"
        "import persona_desktop.core.segments.run, persona_desktop.core.segments.segmentation, persona_desktop.core.segments.personas\n"
        "fig = charts.new_figure()\n"
        "seg.draw_customer_map(fig, np.random.default_rng(0).normal(size=(50, 3)), np.arange(50) % 2,"
        " {0: 'a', 1: 'b'})\n"
        "from matplotlib.backends.backend_agg import FigureCanvasAgg\n"
        "FigureCanvasAgg(fig).draw()\n"
        "print('matplotlib.pyplot' in sys.modules, 'matplotlib' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_new_figure_is_a_plain_figure():
    fig = new_figure(5, 3, dpi=80)
    assert type(fig) is Figure
    assert tuple(fig.get_size_inches()) == (5, 3) and fig.dpi == 80


# ----------------------------------------------------------- each builder
@pytest.mark.parametrize("lang", LANGS)
def test_customer_map(analysis, lang):
    fig = new_figure()
    X = analysis.segmentation.features.X
    draw_customer_map(fig, X, analysis.labels, names_of(analysis, lang), lang)
    pixels = render(fig)
    assert pixels.shape == (400, 640, 4)
    ax = fig.axes[0]
    dots = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(dots) == len(analysis.personas)
    assert sum(len(c.get_offsets()) for c in dots) == len(X)  # 400 customers: all shown
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [p.display_name(lang) for p in analysis.personas]
    assert "%" in ax.get_xlabel() and "%" in ax.get_ylabel()
    assert to_hex(dots[0].get_facecolor()[0]) == to_hex(PALETTE[0])


def test_customer_map_thins_out_large_data_and_greys_the_noise():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3_000, 2))
    labels = np.where(rng.random(3_000) < 0.1, -1, rng.integers(0, 2, 3_000))
    fig = new_figure()
    draw_customer_map(fig, X, labels, {0: "a", 1: "b", -1: "noise"}, "en", max_points=500)
    render(fig)
    dots = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    assert sum(len(c.get_offsets()) for c in dots) == 500
    assert to_hex(dots[-1].get_facecolor()[0]) == to_hex(NOISE_COLOUR)  # noise drawn last, in grey


def test_customer_map_with_one_feature():
    fig = new_figure()
    draw_customer_map(fig, np.arange(20, dtype=float).reshape(-1, 1), np.arange(20) // 10, {0: "a", 1: "b"}, "en")
    render(fig)
    assert "100%" in fig.axes[0].get_xlabel()


@pytest.mark.parametrize("lang", LANGS)
def test_segment_sizes(analysis, lang):
    fig = new_figure()
    draw_segment_sizes(fig, analysis.personas, lang)
    render(fig)
    ax = fig.axes[0]
    n = len(analysis.personas)
    widths = [round(b.get_width(), 6) for b in ax.patches]
    assert len(widths) == 2 * n  # customers and revenue
    assert widths[:n] == [round(100 * p.share, 6) for p in analysis.personas]
    assert widths[n:] == [round(100 * p.revenue_share, 6) for p in analysis.personas]
    assert [t.get_text() for t in ax.get_yticklabels()] == [p.display_name(lang) for p in analysis.personas]


@pytest.mark.parametrize("lang", LANGS)
def test_profile_heatmap(analysis, lang):
    fig = new_figure(8, 4)
    draw_profile_heatmap(fig, analysis.personas, lang=lang)
    render(fig)
    ax = fig.axes[0]
    features = [t["feature"] for t in analysis.personas[0].typical]
    image = ax.get_images()[0].get_array()
    assert image.shape == (len(analysis.personas), len(features))
    assert [t.get_text() for t in ax.get_xticklabels()] == [feature_label(f, lang) for f in features]
    assert [t.get_text() for t in ax.get_yticklabels()] == [p.display_name(lang) for p in analysis.personas]
    # each cell: log2 of the segment median over the overall median
    p, j = analysis.personas[0], features.index("frequency")
    t = p.typical[j]
    assert image[0, j] == pytest.approx(np.log2(np.clip(t["median"] / t["overall_median"], 1 / 16, 16)))
    assert len(fig.axes) == 2  # the colour bar


# ----------------------------------------------------------- Chinese
def test_configure_fonts_finds_an_installed_cjk_font():
    found = configure_fonts()
    installed = {f.name for f in fontManager.ttflist}
    assert found and set(found) <= installed
    assert matplotlib.rcParams["font.family"][: 1 + len(found)] == ["DejaVu Sans", *found]
    path = findfont(FontProperties(family=found[0]), fallback_to_default=False)
    assert any(word in path.lower() for word in ("cjk", "wqy", "hei", "yahei", "pingfang", "han"))


def test_chinese_charts_have_no_missing_glyphs(analysis, caplog):
    configure_fonts()
    caplog.set_level(logging.WARNING, logger="matplotlib.font_manager")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = new_figure()
        fig.add_subplot(111).set_title("客户特征分布图：忠实常客与流失客户")
        render(fig)
        for draw in (lambda f: draw_customer_map(f, analysis.segmentation.features.X, analysis.labels,
                                                 names_of(analysis, "zh"), "zh"),
                     lambda f: draw_segment_sizes(f, analysis.personas, "zh"),
                     lambda f: draw_profile_heatmap(f, analysis.personas, lang="zh")):
            fig = new_figure(8, 4)
            draw(fig)
            render(fig)
    assert glyph_warnings(caught) == []
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]  # a named font not found


def test_the_glyph_check_would_catch_a_missing_cjk_font():
    """Control: with DejaVu Sans alone the same title does warn."""
    configure_fonts()
    with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        warnings.simplefilter("always")
        fig = new_figure()
        fig.add_subplot(111).set_title("客户特征分布图")
        render(fig)
    assert glyph_warnings(caught)


def test_labels_with_dollar_signs_are_text_not_formulas():
    """Product and segment names are data: mathtext would fail on these and lose the whole chart."""
    names = ["a $x^{2$ b", "$\\nonexistent$", "GIFT $5 OFF $"]
    fig = new_figure()
    fig.add_subplot(111).barh(names, [1, 2, 3])
    render(fig)
    shown = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert shown == names


# ------------------------------------------------- quality charts
@pytest.fixture(scope="module")
def other_methods():
    ins = inspect_file(sample_path())
    return {m: segment_inspection(ins, method=m, stability_runs=0) for m in ("rfm", "dbscan", "hierarchical")}


@pytest.mark.parametrize("lang", LANGS)
def test_silhouette_plot_has_one_band_per_segment(analysis, lang):
    from persona_desktop.core.charts.quality import draw_silhouette

    q = analysis.segmentation.quality
    fig = new_figure()
    draw_silhouette(fig, q.sample_labels, q.sample_silhouettes, names_of(analysis, lang), lang)
    render(fig)
    ax = fig.axes[0]
    assert len(ax.collections) == analysis.segmentation.n_segments
    assert [t.get_text() for t in ax.get_yticklabels()] == [names_of(analysis, lang)[s] for s in sorted(set(q.sample_labels))]
    assert any(f"{q.silhouette:.2f}" in t.get_text() for t in ax.texts)


@pytest.mark.parametrize("lang", LANGS)
def test_k_selection_marks_the_chosen_k(analysis, lang):
    from persona_desktop.core.charts.quality import draw_k_selection

    scores = analysis.segmentation.segmenter.k_scores_
    fig = new_figure()
    draw_k_selection(fig, scores, analysis.segmentation.n_segments, lang)
    render(fig)
    silhouette_line = fig.axes[0].lines[0]
    assert list(silhouette_line.get_xdata()) == [s["k"] for s in scores]
    assert len(fig.axes) == 2  # the inertia on its own axis
    chosen = [ln for ln in fig.axes[0].lines if list(ln.get_xdata()) == [analysis.segmentation.n_segments] * 2]
    assert chosen


@pytest.mark.parametrize("lang", LANGS)
def test_rfm_grid_counts_every_customer_once(other_methods, lang):
    from persona_desktop.core.charts.quality import draw_rfm_grid
    from persona_desktop.core.segments.rfm import RFM_GRID, group_name

    scorer = other_methods["rfm"].segmentation.segmenter
    fig = new_figure(7, 5)
    draw_rfm_grid(fig, scorer.r_score_, scorer.fm_score_, RFM_GRID, lang)
    render(fig)
    cells = [t.get_text().split("\n") for t in fig.axes[0].texts]
    assert len(cells) == 25
    assert sum(int(count.replace(",", "")) for _, count in cells) == len(scorer.labels_)
    assert {name for name, _ in cells} == {group_name(g, lang) for row in RFM_GRID for g in row}


def test_k_distance_curve_marks_the_radius(other_methods):
    from persona_desktop.core.charts.quality import draw_k_distances

    dbscan = other_methods["dbscan"].segmentation.segmenter
    fig = new_figure()
    draw_k_distances(fig, dbscan.k_distances_, dbscan.eps_, dbscan.min_samples_ - 1, "zh")
    render(fig)
    ax = fig.axes[0]
    assert list(ax.lines[0].get_ydata()) == list(dbscan.k_distances_)
    assert ax.lines[1].get_ydata()[0] == pytest.approx(dbscan.eps_)


def test_dendrogram_is_cut_between_the_merges_that_give_k_segments(other_methods):
    from persona_desktop.core.charts.quality import draw_dendrogram

    seg = other_methods["hierarchical"].segmentation
    Z, k = seg.segmenter.linkage_matrix_, seg.n_segments
    fig = new_figure()
    draw_dendrogram(fig, Z, k, "en")
    render(fig)
    cut = fig.axes[0].lines[-1].get_ydata()[0]
    assert Z[-k, 2] <= cut <= Z[-k + 1, 2]


def test_fonts_installed_after_the_cache_was_written_trigger_one_rescan(tmp_path):
    """matplotlib never rescans on its own: a CJK font installed after the first run was never used."""
    from persona_desktop.core.charts import fonts_added

    marker = tmp_path / "persona-system-fonts.txt"
    dejavu, cjk = "/fonts/DejaVuSans.ttf", "/fonts/NotoSansCJK-Regular.ttc"
    assert not fonts_added([dejavu], marker, cached={dejavu})  # matplotlib's cache has them all
    assert not fonts_added([dejavu], marker, cached={dejavu})
    assert fonts_added([dejavu, cjk], marker, cached={dejavu})  # a font was installed: rescan once
    assert not fonts_added([dejavu, cjk], marker, cached={dejavu, cjk})  # and not again
    assert not fonts_added([cjk], marker, cached={cjk})  # one removed: matplotlib notices missing files itself


def test_a_cache_written_before_the_check_existed_is_compared_with_the_system(tmp_path):
    from persona_desktop.core.charts import fonts_added

    marker = tmp_path / "persona-system-fonts.txt"  # absent: an older cache, or an unreadable font
    assert fonts_added(["/fonts/a.ttf", "/fonts/new.ttc"], marker, cached={"/fonts/a.ttf"})
    assert not fonts_added(["/fonts/a.ttf", "/fonts/new.ttc"], marker, cached={"/fonts/a.ttf"})

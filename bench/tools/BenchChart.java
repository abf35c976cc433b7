import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chart of a bench/run: one self-contained HTML page with inline SVG (no scripts, nothing fetched), so that it
 * opens anywhere.
 *
 * <p>{@code BenchChart ROWS FIGURES META OUT.html TITLE}: ROWS has one line per reported figure, tab-separated
 * {@code key label better(higher|lower) format section chart x}; FIGURES has {@code system key value} lines; META
 * is plain text lines shown under the title. A row without a chart becomes a pair of bars (Kafka, Sluice) in its
 * section with the ratio beside it; rows that share a chart ({@code title;x axis label}) become the points of a line
 * chart, one line per system, at their x.
 */
public class BenchChart {

    private static final String[] SYSTEMS = { "kafka", "sluice" };
    private static final Map<String, String> NAMES = Map.of("kafka", "Apache Kafka", "sluice", "Sluice");
    private static final Map<String, String> COLOURS = Map.of("kafka", "#4e79a7", "sluice", "#f28e2b");

    record Row(String key, String label, boolean higherIsBetter, String format, String section, String chart,
            double x) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: BenchChart ROWS FIGURES META OUT.html TITLE");
            System.exit(2);
        }
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] f = line.split("\t", -1);
            if (f.length >= 7) {
                rows.add(new Row(f[0], f[1], f[2].equals("higher"), f[3], f[4], f[5],
                        f[6].isEmpty() ? Double.NaN : Double.parseDouble(f[6])));
            }
        }
        Map<String, Double> figures = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String[] f = line.split("\t");
            if (f.length == 3 && !f[2].isEmpty()) {
                figures.put(f[0] + "\t" + f[1], Double.parseDouble(f[2]));
            }
        }
        List<String> meta = Files.readAllLines(Path.of(args[2]));
        Files.writeString(Path.of(args[3]), new BenchChart(rows, figures).page(args[4], meta), StandardCharsets.UTF_8);
    }

    private final List<Row> rows;
    private final Map<String, Double> figures;

    BenchChart(List<Row> rows, Map<String, Double> figures) {
        this.rows = rows;
        this.figures = figures;
    }

    private Double figure(String system, String key) {
        return figures.get(system + "\t" + key);
    }

    String page(String title, List<String> meta) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}"
                        + "h2{margin-top:1.6em;border-bottom:1px solid #ccc}li{margin:.15em 0}"
                        + "svg text{font-family:sans-serif;font-size:12px}.legend span{display:inline-block;"
                        + "width:1em;height:1em;margin:0 .3em 0 1em;vertical-align:middle}</style></head><body>\n");
        html.append("<h1>").append(escape(title)).append("</h1>\n<ul>\n");
        meta.stream().filter(l -> !l.isBlank()).forEach(l -> html.append("<li>").append(escape(l)).append("</li>\n"));
        html.append("</ul>\n<p class=\"legend\">");
        for (String system : SYSTEMS) {
            html.append("<span style=\"background:").append(COLOURS.get(system)).append("\"></span>")
                    .append(NAMES.get(system));
        }
        html.append(" &nbsp; The ratio is Sluice/Kafka, green where it favours Sluice.</p>\n");

        Map<String, List<Row>> sections = new LinkedHashMap<>();
        rows.forEach(r -> sections.computeIfAbsent(r.section(), s -> new ArrayList<>()).add(r));
        sections.forEach((section, sectionRows) -> {
            html.append("<h2>").append(escape(section)).append("</h2>\n");
            List<Row> bars = sectionRows.stream().filter(r -> r.chart().isEmpty()).toList();
            if (!bars.isEmpty()) {
                html.append(bars(bars));
            }
            Map<String, List<Row>> lines = new LinkedHashMap<>();
            sectionRows.stream().filter(r -> !r.chart().isEmpty())
                    .forEach(r -> lines.computeIfAbsent(r.chart(), c -> new ArrayList<>()).add(r));
            lines.forEach((chart, points) -> html.append(lineChart(chart, points)));
        });
        return html.append("</body></html>\n").toString();
    }

    /** One pair of bars per row, each pair scaled to its larger figure, values and ratio written beside them. */
    private String bars(List<Row> bars) {
        int labelWidth = 430, barWidth = 460, pairHeight = 34, width = labelWidth + barWidth + 200;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">\n",
                width, bars.size() * pairHeight + 6));
        for (int i = 0; i < bars.size(); i++) {
            Row row = bars.get(i);
            int top = i * pairHeight + 3;
            Double kafka = figure("kafka", row.key());
            Double sluice = figure("sluice", row.key());
            double max = Math.max(kafka == null ? 0 : kafka, sluice == null ? 0 : sluice);
            svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\">%s</text>\n", top + 19, escape(row.label())));
            int j = 0;
            for (String system : SYSTEMS) {
                Double value = figure(system, row.key());
                int y = top + j++ * 14;
                double length = value == null || max <= 0 ? 0 : Math.max(1, value / max * barWidth);
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"%s\"/>"
                                + "<text x=\"%.1f\" y=\"%d\" fill=\"#444\">%s</text>\n",
                        labelWidth, y, length, COLOURS.get(system), labelWidth + length + 4, y + 10,
                        value == null ? "–" : escape(format(row.format(), value))));
            }
            if (kafka != null && sluice != null && kafka != 0) {
                double ratio = sluice / kafka;
                boolean favours = row.higherIsBetter() ? ratio >= 1 : ratio <= 1;
                svg.append(String.format(Locale.ROOT,
                        "<text x=\"%d\" y=\"%d\" font-weight=\"bold\" fill=\"%s\">×%.2f</text>\n", width - 70,
                        top + 19, favours ? "#2a7d2a" : "#c0392b", ratio));
            }
        }
        return svg.append("</svg>\n").toString();
    }

    /** A line per system through the rows' points; a logarithmic x axis when the x values span 100× or more. */
    private String lineChart(String chart, List<Row> points) {
        String title = chart.contains(";") ? chart.substring(0, chart.indexOf(';')) : chart;
        String xLabel = chart.contains(";") ? chart.substring(chart.indexOf(';') + 1) : "";
        int width = 660, height = 300, left = 70, right = 40, top = 30, bottom = 45;
        double minX = points.stream().mapToDouble(Row::x).min().orElse(0);
        double maxX = points.stream().mapToDouble(Row::x).max().orElse(1);
        boolean log = minX > 0 && maxX / minX >= 100;
        double maxY = 0;
        for (Row p : points) {
            for (String system : SYSTEMS) {
                Double v = figure(system, p.key());
                if (v != null) {
                    maxY = Math.max(maxY, v);
                }
            }
        }
        maxY = maxY <= 0 ? 1 : maxY * 1.1;
        double plotWidth = width - left - right, plotHeight = height - top - bottom;
        double finalMaxY = maxY;
        java.util.function.DoubleUnaryOperator sx = x -> {
            double from = log ? Math.log10(minX) : minX, to = log ? Math.log10(maxX) : maxX;
            double at = log ? Math.log10(x) : x;
            return left + (to == from ? plotWidth / 2 : (at - from) / (to - from) * plotWidth);
        };
        java.util.function.DoubleUnaryOperator sy = y -> top + plotHeight - y / finalMaxY * plotHeight;

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">\n",
                width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-weight=\"bold\">%s</text>\n", left,
                escape(title)));
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\" stroke=\"#888\"/>\n",
                left, top + plotHeight, left + plotWidth, top + plotHeight, left, top, left, top + plotHeight));
        for (int t = 0; t <= 4; t++) {
            double y = maxY * t / 4;
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#666\">%s</text>"
                            + "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>\n",
                    left - 6, sy.applyAsDouble(y) + 4, t == 0 ? "0" : escape(format("%.3g", y)), left, sy.applyAsDouble(y),
                    left + plotWidth, sy.applyAsDouble(y)));
        }
        for (Row p : points) {
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#666\">%s</text>\n",
                    sx.applyAsDouble(p.x()), top + plotHeight + 16, escape(format("%.0f", p.x()))));
        }
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#666\">%s</text>\n", left + plotWidth / 2,
                height - 6, escape(xLabel)));
        for (String system : SYSTEMS) {
            StringBuilder path = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (Row p : points) {
                Double v = figure(system, p.key());
                if (v == null) {
                    continue;
                }
                double x = sx.applyAsDouble(p.x()), y = sy.applyAsDouble(v);
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
                dots.append(String.format(Locale.ROOT,
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>"
                                + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"%s\">%s</text>\n",
                        x, y, COLOURS.get(system), x + 4, y - 5, COLOURS.get(system),
                        escape(format(p.format(), v))));
            }
            if (path.length() > 0) {
                svg.append(String.format("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n", path,
                        COLOURS.get(system)));
                svg.append(dots);
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private static String format(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

/* The /insights page (docs/insights.md, "The /insights page"): each analysis of GET /v1/insights...
   drawn as a chart, with its data as a table and a CSV download. Besides window.Dashboard's
   stacked bars and donut it needs four chart kinds, drawn here: weekly columns (stacked, or 100%
   stacked) with the week in progress marked, lines, horizontal (100% stacked) bars, a log-log
   scatter and a heat map; their parts (axes, ids, resizing, data tables) are dashboard.js's.
   Colours follow the dashboard's one colour per name (Dashboard.colorOf): task categories (kind
   'category', as on /rankings) and languages ('language'); the fixed series (model classes, sizes,
   quadrants, prompt and completion, the reasoning and tools lines) keep fixed palette slots, and
   "other" or unknown rows are grey.

   Test hooks (tests/browser/insights.test.mjs), as in dashboard.js: <body data-state>, each chart
   container's data-state (ready, error, forbidden), chart series <g class="series" data-name
   data-color> whose marks carry data-bucket (the week, row or column) and data-value (the API's
   number as it came, '' for null) (and data-color where a mark has its own), the week in progress
   as class "partial", and the data tables' rows <tr data-name> with <td data-value>. */
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  const D = window.Dashboard;
  const $ = (id) => document.getElementById(id);
  const svg = D.svg;
  const html = D.html;

  const DEFAULT_WEEKS = '12';
  const RETENTION_BY = ['app', 'key', 'user'];
  const OTHER_COLOR = 10;
  const NULL_TEXT = '\u2014';
  const OTHER_CATEGORIES = '~other';
  const NOT_RECORDED = '(not recorded)';

  // ---------------------------------------------------------------- labels and formats

  const CATEGORY_LABELS = {
    programming: 'Programming', roleplay: 'Roleplay', translation: 'Translation', general_qa: 'General Q&A',
    productivity: 'Productivity', education: 'Education', creative_writing: 'Creative writing',
    marketing: 'Marketing', science: 'Science', technology: 'Technology', health: 'Health', finance: 'Finance',
    legal: 'Legal', academia: 'Academia', trivia: 'Trivia', other: 'Other (nothing to go on)',
    [NOT_RECORDED]: 'Not recorded', [OTHER_CATEGORIES]: 'Other categories',
  };

  const CLASSES = [
    {name: 'proprietary', label: 'Proprietary', color: 0},
    {name: 'open_weights_china', label: 'Open weights, China', color: 2},
    {name: 'open_weights_rest_of_world', label: 'Open weights, rest of world', color: 4},
  ];

  const SIZES = [
    {name: 'small', label: 'Small (under 15B)', color: 4},
    {name: 'medium', label: 'Medium (15B\u201370B)', color: 1},
    {name: 'large', label: 'Large (over 70B)', color: 6},
    {name: 'unknown', label: 'Size not configured', color: OTHER_COLOR},
  ];

  const QUADRANTS = [
    {name: 'low_price_high_usage', label: 'Low price, high usage', color: 4},
    {name: 'high_price_high_usage', label: 'High price, high usage', color: 0},
    {name: 'low_price_low_usage', label: 'Low price, low usage', color: 6},
    {name: 'high_price_low_usage', label: 'High price, low usage', color: 2},
  ];

  const languageNames = (() => {
    try {
      return new Intl.DisplayNames(['en'], {type: 'language'});
    } catch {
      return null;
    }
  })();

  function languageLabel(code) {
    if (code === null || code === undefined || code === '') return 'Undetermined';
    let name = code;
    try {
      name = (languageNames && languageNames.of(code)) || code;
    } catch {
      /* not a code Intl knows: show it as it is */
    }
    return name === code ? code : `${name} (${code})`;
  }

  function categoryKey(category) {
    return category === null || category === undefined ? NOT_RECORDED : category;
  }

  function categoryLabel(key) {
    return CATEGORY_LABELS[key] || key;
  }

  const isNull = (value) => value === null || value === undefined;
  const num = (value) => (isNull(value) ? 0 : Number(value) || 0);
  const rawValue = (value) => (isNull(value) ? '' : value);

  function formatPercent(value, digits = 1) {
    return isNull(value) ? NULL_TEXT : `${Number(value).toFixed(digits)}%`;
  }

  const decimalFormat = new Intl.NumberFormat('en-US', {maximumFractionDigits: 2});

  function formatNumber(value) {
    return isNull(value) ? NULL_TEXT : decimalFormat.format(Number(value));
  }

  // An effective price per million tokens, three significant digits: $1.36/M, $0.0348/M.
  function formatPrice(usd) {
    return isNull(usd) ? NULL_TEXT : `$${Number(Number(usd).toPrecision(3))}/M`;
  }

  function formatGrowth(growth) {
    return isNull(growth) ? NULL_TEXT : D.formatChange(growth);
  }

  // ---------------------------------------------------------------- chart parts
  // (Besides dashboard.js's: D.uniqueId, D.colorVar, D.niceAxis, D.axisLabel, D.renderResponsive,
  // D.dataTable.)

  const colorVar = D.colorVar;

  // The axis labels of a percent chart: 25%, 2.5% (formatPercent's digits, without a trailing ".0").
  const percentAxis = (value) => `${D.axisLabel((v) => Number(v).toFixed(1), value)}%`;

  // The <svg role="img"> of a chart, named by its <title> and described by its <desc>.
  function chartRoot(width, height, spec) {
    const titleId = D.uniqueId('insights-title');
    const descId = D.uniqueId('insights-desc');
    return svg('svg', {
      role: 'img', 'aria-labelledby': `${titleId} ${descId}`, viewBox: `0 0 ${width} ${height}`, width, height,
    }, svg('title', {id: titleId}, spec.title), svg('desc', {id: descId}, spec.description));
  }

  // Horizontal gridlines with their labels at the left.
  function yGrid(axis, y, left, right, format) {
    const grid = svg('g', {class: 'tick', 'aria-hidden': 'true'});
    for (let i = 0; i * axis.step <= axis.top + 1e-9; i++) {
      const value = i * axis.step;
      grid.append(
        svg('line', {class: i ? 'gridline' : 'baseline', x1: left, x2: right, y1: y(value), y2: y(value)}),
        svg('text', {x: left - 6, y: y(value) + 4, 'text-anchor': 'end'}, D.axisLabel(format, value)));
    }
    return grid;
  }

  // Week labels under the plot: as many as fit, always the last one.
  function xLabels(buckets, xCenter, plotWidth, y) {
    const every = Math.max(1, Math.ceil(buckets.length / Math.max(1, Math.floor(plotWidth / 52))));
    const labels = svg('g', {class: 'axis', 'aria-hidden': 'true'});
    buckets.forEach((bucket, i) => {
      if ((buckets.length - 1 - i) % every !== 0) return;
      labels.append(svg('text', {x: xCenter(i), y, 'text-anchor': 'middle'}, bucket.label));
    });
    return labels;
  }

  // A shaded band behind the week in progress, labelled at its top.
  function partialBands(buckets, xCenter, band, top, plotHeight) {
    const group = svg('g', {class: 'partial-bands', 'aria-hidden': 'true'});
    buckets.forEach((bucket, i) => {
      if (!bucket.partial) return;
      group.append(
        svg('rect', {class: 'partial-band', x: xCenter(i) - band / 2, y: top, width: band, height: plotHeight}),
        svg('text', {class: 'partial-label', x: Math.min(xCenter(i), xCenter(i) + band / 2 - 2), y: top - 4,
          'text-anchor': band < 60 ? 'end' : 'middle'}, 'in progress'));
    });
    return group;
  }

  function legend(items) {
    return html('ul', {class: 'legend', 'aria-label': 'Legend'}, items.map((item) =>
      html('li', {'data-name': item.name},
        item.dash !== undefined
          ? html('span', {
            class: item.dash ? 'line-swatch dashed' : 'line-swatch', style: `color:${colorVar(item.color)}`,
            'aria-hidden': 'true',
          })
          : D.swatch(item.color),
        html('span', {}, item.label),
        item.note ? html('span', {class: 'value'}, item.note) : null)));
  }

  function figure(kind) {
    return html('div', {class: `chart ${kind}`});
  }

  // ---------------------------------------------------------------- weekly columns

  /* spec: {title, description, buckets: [{key, label, name, partial}], series: [{name, label, color,
     values}], percent: each column stacked to 100% of its total, format: value -> text (the axis and
     the tooltips; in percent mode of the share), annotations: [{text, kind, value}] above columns}. */
  function drawColumns(width, spec) {
    const height = spec.height || (width < 480 ? 210 : 260);
    const margin = {top: 22, right: 6, bottom: 24, left: 48};
    const plotWidth = Math.max(10, width - margin.left - margin.right);
    const plotHeight = height - margin.top - margin.bottom;
    const count = spec.buckets.length;
    const totals = spec.buckets.map((_, i) => spec.series.reduce((sum, s) => sum + num(s.values[i]), 0));
    const axis = spec.percent ? {top: 100, step: 25} : D.niceAxis(Math.max(0, ...totals), true);
    const y = (value) => margin.top + plotHeight - (value / axis.top) * plotHeight;
    const band = plotWidth / Math.max(1, count);
    const barWidth = Math.max(1, Math.min(48, band * (count > 40 ? 0.8 : 0.68)));
    const xCenter = (i) => margin.left + i * band + band / 2;
    const root = chartRoot(width, height, spec);
    root.append(partialBands(spec.buckets, xCenter, band, margin.top, plotHeight),
      yGrid(axis, y, margin.left, width - margin.right, spec.percent ? (v) => `${v}%` : spec.format));

    const bars = svg('g', {class: 'bars'});
    const base = totals.map(() => 0);
    for (const series of spec.series) {
      const group = svg('g', {
        class: 'series', 'data-name': series.name, 'data-color': series.color, style: `fill:${colorVar(series.color)}`,
      });
      spec.buckets.forEach((bucket, i) => {
        const raw = series.values[i];
        const value = num(raw);
        const shown = spec.percent ? (totals[i] > 0 ? (100 * value) / totals[i] : 0) : value;
        const top = y(base[i] + shown);
        const text = spec.percent ? formatPercent(isNull(raw) ? 0 : shown) : spec.format(value);
        group.append(svg('rect', {
          class: bucket.partial ? 'bar partial' : 'bar', x: (xCenter(i) - barWidth / 2).toFixed(2), y: top.toFixed(2),
          width: barWidth.toFixed(2), height: Math.max(0, y(base[i]) - top).toFixed(2),
          'data-bucket': bucket.key, 'data-value': rawValue(raw), 'data-partial': bucket.partial ? 'true' : null,
        }, svg('title', {}, `${series.label}, ${bucket.name}: ${text}${bucket.partial ? ' (week in progress)' : ''}`)));
        base[i] += shown;
      });
      bars.append(group);
    }
    root.append(bars);

    if (spec.annotations && band >= 34) {
      const notes = svg('g', {class: 'annotations'});
      spec.annotations.forEach((note, i) => {
        if (!note) return;
        notes.append(svg('text', {
          class: `annotation ${note.kind}`, x: xCenter(i), y: y(base[i]) - 5, 'text-anchor': 'middle',
          'data-bucket': spec.buckets[i].key, 'data-value': rawValue(note.value),
        }, note.text));
      });
      root.append(notes);
    }
    root.append(xLabels(spec.buckets, xCenter, plotWidth, height - 6));
    return root;
  }

  function columnChart(container, spec, extra = []) {
    const chart = figure('columns');
    container.replaceChildren(chart, legend(spec.series), ...extra);
    D.renderResponsive(chart, (width) => chart.replaceChildren(drawColumns(width, spec)));
  }

  // ---------------------------------------------------------------- lines

  /* spec: {title, description, buckets (as columns), series: [{name, label, color, dash, values}]
     (null values leave a gap), format: the tooltips (and the axis, unless axisFormat), percent: values
     are percents}. */
  function drawLines(width, spec) {
    const height = spec.height || (width < 480 ? 210 : 240);
    const margin = {top: 22, right: 10, bottom: 24, left: 52};
    const plotWidth = Math.max(10, width - margin.left - margin.right);
    const plotHeight = height - margin.top - margin.bottom;
    const count = spec.buckets.length;
    const values = spec.series.flatMap((s) => s.values.filter((v) => !isNull(v)).map(Number));
    const max = Math.max(0, ...values);
    const axis = D.niceAxis(spec.percent ? Math.min(100, Math.max(max, 1)) : max, !spec.percent);
    const y = (value) => margin.top + plotHeight - (value / axis.top) * plotHeight;
    const band = plotWidth / Math.max(1, count);
    const xCenter = (i) => margin.left + i * band + band / 2;
    const root = chartRoot(width, height, spec);
    root.append(partialBands(spec.buckets, xCenter, band, margin.top, plotHeight),
      yGrid(axis, y, margin.left, width - margin.right, spec.axisFormat || spec.format));

    const lines = svg('g', {class: 'lines'});
    for (const series of spec.series) {
      const group = svg('g', {
        class: 'series', 'data-name': series.name, 'data-color': series.color, style: `color:${colorVar(series.color)}`,
      });
      let path = '';
      let open = false;
      series.values.forEach((raw, i) => {
        if (isNull(raw)) {
          open = false;
          return;
        }
        path += `${open ? 'L' : 'M'}${xCenter(i).toFixed(2)} ${y(Number(raw)).toFixed(2)}`;
        open = true;
      });
      group.append(svg('path', {class: series.dash ? 'line dashed' : 'line', d: path || 'M0 0'}));
      const radius = band < 10 ? 2 : 3.2;
      series.values.forEach((raw, i) => {
        if (isNull(raw)) return;
        const bucket = spec.buckets[i];
        group.append(svg('circle', {
          class: bucket.partial ? 'point partial' : 'point', cx: xCenter(i).toFixed(2), cy: y(Number(raw)).toFixed(2),
          r: radius, 'data-bucket': bucket.key, 'data-value': raw,
        }, svg('title', {},
          `${series.label}, ${bucket.name}: ${spec.format(Number(raw))}${bucket.partial ? ' (in progress)' : ''}`)));
      });
      lines.append(group);
    }
    root.append(lines, xLabels(spec.buckets, xCenter, plotWidth, height - 6));
    return root;
  }

  function lineChart(container, spec, extra = []) {
    const chart = figure('lines');
    container.replaceChildren(chart, legend(spec.series.map((s) => ({...s, dash: !!s.dash}))), ...extra);
    D.renderResponsive(chart, (width) => chart.replaceChildren(drawLines(width, spec)));
  }

  // ---------------------------------------------------------------- horizontal bars

  /* spec: {title, description, rows: [{name, label}], series: [{name, label, color, colors (a
     palette slot per row, instead of color), values (one per row)}], percent: each row stacked to
     100%, format: value -> text (the axis too, unless axisFormat)}. One series: the value is written
     after its bar. */
  function drawHBars(width, spec) {
    const rowHeight = 26;
    const labelWidth = Math.round(Math.min(180, Math.max(84, width * 0.3)));
    const single = spec.series.length === 1;
    const valueWidth = single ? 52 : 0;
    const margin = {top: 4, right: 8 + valueWidth, bottom: 22, left: labelWidth};
    const plotWidth = Math.max(10, width - margin.left - margin.right);
    const height = margin.top + spec.rows.length * rowHeight + margin.bottom;
    const totals = spec.rows.map((_, r) => spec.series.reduce((sum, s) => sum + num(s.values[r]), 0));
    const axis = spec.percent ? {top: 100, step: 25} : D.niceAxis(Math.max(0, ...totals), false);
    const x = (value) => margin.left + (value / axis.top) * plotWidth;
    const rowTop = (r) => margin.top + r * rowHeight;
    const root = chartRoot(width, height, spec);

    const grid = svg('g', {class: 'tick', 'aria-hidden': 'true'});
    const format = spec.percent ? (v) => `${v}%` : spec.axisFormat || spec.format;
    for (let i = 0; i * axis.step <= axis.top + 1e-9; i++) {
      const value = i * axis.step;
      grid.append(
        svg('line', {
          class: i ? 'gridline' : 'baseline', x1: x(value), x2: x(value), y1: margin.top, y2: height - margin.bottom,
        }),
        svg('text', {x: x(value), y: height - 6, 'text-anchor': i ? 'middle' : 'start'}, D.axisLabel(format, value)));
    }
    root.append(grid);

    const maxChars = Math.max(6, Math.floor((labelWidth - 10) / 6.6));
    const labels = svg('g', {class: 'row-labels', 'aria-hidden': 'true'});
    spec.rows.forEach((row, r) => {
      const text = row.label.length > maxChars ? `${row.label.slice(0, maxChars - 1)}\u2026` : row.label;
      labels.append(svg('text', {x: labelWidth - 8, y: rowTop(r) + rowHeight / 2 + 4, 'text-anchor': 'end'}, text));
    });
    root.append(labels);

    const bars = svg('g', {class: 'bars'});
    const base = totals.map(() => 0);
    for (const series of spec.series) {
      const group = svg('g', {
        class: 'series', 'data-name': series.name, 'data-color': series.color,
        style: isNull(series.color) ? null : `fill:${colorVar(series.color)}`,
      });
      spec.rows.forEach((row, r) => {
        const color = series.colors ? series.colors[r] : null;
        const raw = series.values[r];
        const value = num(raw);
        const shown = spec.percent ? (totals[r] > 0 ? (100 * value) / totals[r] : 0) : value;
        const left = x(base[r]);
        group.append(svg('rect', {
          class: 'bar', x: left.toFixed(2), y: rowTop(r) + 4, height: rowHeight - 8,
          width: Math.max(0, x(base[r] + shown) - left).toFixed(2),
          'data-bucket': row.name, 'data-value': rawValue(raw),
          'data-color': color, style: isNull(color) ? null : `fill:${colorVar(color)}`,
        }, svg('title', {},
          `${row.label}, ${series.label}: ${spec.percent ? formatPercent(shown) : spec.format(value)}`)));
        base[r] += shown;
      });
      bars.append(group);
    }
    root.append(bars);
    if (single) {
      const values = svg('g', {class: 'values', 'aria-hidden': 'true'});
      spec.rows.forEach((row, r) => values.append(svg('text', {x: x(base[r]) + 6, y: rowTop(r) + rowHeight / 2 + 4},
        spec.format(num(spec.series[0].values[r])))));
      root.append(values);
    }
    return root;
  }

  function hbarChart(container, spec, extra = []) {
    const chart = figure('hbars');
    container.replaceChildren(chart, ...(spec.series.length > 1 ? [legend(spec.series)] : []), ...extra);
    D.renderResponsive(chart, (width) => chart.replaceChildren(drawHBars(width, spec)));
  }

  // ---------------------------------------------------------------- log-log scatter

  // The decades that hold `values` (positive ones), at least one.
  function logDomain(values) {
    const positive = values.filter((v) => v > 0);
    if (!positive.length) return {lo: -1, hi: 1};
    let lo = Math.floor(Math.log10(Math.min(...positive)));
    let hi = Math.ceil(Math.log10(Math.max(...positive)));
    if (hi <= lo) hi = lo + 1;
    return {lo, hi};
  }

  // Tick values of a log axis: every decade, and 2x and 5x when it spans few decades.
  function logTicks(domain) {
    const ticks = [];
    for (let power = domain.lo; power <= domain.hi; power++) {
      ticks.push({value: 10 ** power, major: true});
      if (domain.hi - domain.lo <= 2 && power < domain.hi) {
        ticks.push({value: 2 * 10 ** power, major: false}, {value: 5 * 10 ** power, major: false});
      }
    }
    return ticks;
  }

  /* spec: {title, description, points: [{name, label, x, y, group, color, tooltip}], xMedian,
     yMedian, xFormat, yFormat, xTitle, yTitle}. A point at x = 0 (free) sits on the left edge. */
  function drawScatter(width, spec) {
    const height = width < 480 ? 300 : 380;
    const margin = {top: 14, right: 14, bottom: 42, left: 62};
    const plotWidth = Math.max(10, width - margin.left - margin.right);
    const plotHeight = height - margin.top - margin.bottom;
    const xDomain = logDomain([...spec.points.map((p) => p.x), spec.xMedian]);
    const yDomain = logDomain([...spec.points.map((p) => p.y), spec.yMedian]);
    const scale = (domain, value) => (value > 0 ? (Math.log10(value) - domain.lo) / (domain.hi - domain.lo) : 0);
    const x = (value) => margin.left + scale(xDomain, value) * plotWidth;
    const y = (value) => margin.top + plotHeight - scale(yDomain, value) * plotHeight;
    const root = chartRoot(width, height, spec);

    const grid = svg('g', {class: 'tick', 'aria-hidden': 'true'});
    for (const tick of logTicks(xDomain)) {
      grid.append(svg('line', {class: tick.major ? 'gridline' : 'gridline minor', x1: x(tick.value), x2: x(tick.value),
        y1: margin.top, y2: margin.top + plotHeight}),
      svg('text', {x: x(tick.value), y: margin.top + plotHeight + 15, 'text-anchor': 'middle'},
        spec.xFormat(tick.value)));
    }
    for (const tick of logTicks(yDomain)) {
      grid.append(svg('line', {
        class: tick.major ? 'gridline' : 'gridline minor', x1: margin.left, x2: margin.left + plotWidth,
        y1: y(tick.value), y2: y(tick.value),
      }),
      svg('text', {x: margin.left - 6, y: y(tick.value) + 4, 'text-anchor': 'end'}, spec.yFormat(tick.value)));
    }
    grid.append(
      svg('text', {class: 'axis-title', x: margin.left + plotWidth / 2, y: height - 4, 'text-anchor': 'middle'},
        spec.xTitle),
      svg('text', {class: 'axis-title', x: 12, y: margin.top + plotHeight / 2, 'text-anchor': 'middle',
        transform: `rotate(-90 12 ${margin.top + plotHeight / 2})`}, spec.yTitle));
    root.append(grid);

    // The medians split the plot into the four quadrants the API names.
    const medians = svg('g', {class: 'medians'});
    const mx = x(spec.xMedian);
    const my = y(spec.yMedian);
    if (spec.xMedian > 0) {
      medians.append(svg('line', {class: 'median', 'data-name': 'median-price', 'data-value': spec.xMedian,
        x1: mx, x2: mx, y1: margin.top, y2: margin.top + plotHeight}));
    }
    if (spec.yMedian > 0) {
      medians.append(svg('line', {class: 'median', 'data-name': 'median-tokens', 'data-value': spec.yMedian,
        x1: margin.left, x2: margin.left + plotWidth, y1: my, y2: my}));
    }
    if (spec.xMedian > 0) {
      medians.append(svg('text', {
        class: 'median-label', x: mx + 4, y: margin.top + plotHeight - 20, 'aria-hidden': 'true',
      }, `median ${spec.xFormat(spec.xMedian)}`));
    }
    if (spec.yMedian > 0) {
      medians.append(svg('text', {
        class: 'median-label', x: margin.left + plotWidth - 6, y: my - 5, 'text-anchor': 'end', 'aria-hidden': 'true',
      }, `median ${spec.yFormat(spec.yMedian)}`));
    }
    const corner = (text, left, top) => svg('text', {
      class: 'quadrant-label', x: left ? margin.left + 6 : margin.left + plotWidth - 6,
      y: top ? margin.top + 12 : margin.top + plotHeight - 6, 'text-anchor': left ? 'start' : 'end',
      'aria-hidden': 'true',
    }, text);
    medians.append(corner('low price, high usage', true, true), corner('high price, high usage', false, true),
      corner('low price, low usage', true, false), corner('high price, low usage', false, false));
    root.append(medians);

    const groups = new Map();
    for (const point of spec.points) {
      if (!groups.has(point.group)) {
        groups.set(point.group,
          svg('g', {
            class: 'series', 'data-name': point.group, 'data-color': point.color, style: `fill:${colorVar(point.color)}`,
          }));
      }
      groups.get(point.group).append(svg('circle', {
        class: point.x > 0 ? 'point' : 'point free', cx: x(point.x).toFixed(2), cy: y(point.y).toFixed(2), r: 5,
        'data-name': point.name, 'data-value': point.y, 'data-x': point.x,
      }, svg('title', {}, point.tooltip)));
    }
    root.append(svg('g', {class: 'points'}, ...groups.values()));

    // Labels beside their points, moved up or down (or left out) where they would overlap.
    const placed = [];
    const labels = svg('g', {class: 'point-labels', 'aria-hidden': 'true'});
    const byHeight = [...spec.points].sort((a, b) => b.y - a.y);
    for (const point of byHeight) {
      const textWidth = point.label.length * 6.2;
      const px = x(point.x);
      const right = px + 8 + textWidth <= margin.left + plotWidth;
      const x1 = right ? px + 8 : px - 8 - textWidth;
      for (const shift of [0, -11, 11, -22, 22]) {
        const ty = y(point.y) + 4 + shift;
        const box = {x1, x2: x1 + textWidth, y1: ty - 10, y2: ty + 2};
        if (ty < margin.top + 8 || ty > margin.top + plotHeight) continue;
        if (placed.some((b) => b.x1 < box.x2 && box.x1 < b.x2 && b.y1 < box.y2 && box.y1 < b.y2)) continue;
        placed.push(box);
        labels.append(svg('text', {x: right ? px + 8 : px - 8, y: ty, 'text-anchor': right ? 'start' : 'end',
          'data-name': point.name}, point.label));
        break;
      }
    }
    root.append(labels);
    return root;
  }

  function scatterChart(container, spec, extra = []) {
    const chart = figure('scatter');
    container.replaceChildren(chart, legend(spec.legend), ...extra);
    D.renderResponsive(chart, (width) => chart.replaceChildren(drawScatter(width, spec)));
  }

  // ---------------------------------------------------------------- heat map

  /* spec: {title, description, rows: [{name, label, note}], columns: [{name, label}], values: per
     row, per column, a percent or null (not observable), format}. The cells' opacity is the value. */
  function drawHeatMap(width, spec) {
    const labelWidth = width < 480 ? 96 : 132;
    const columns = spec.columns.length;
    const margin = {top: 34, right: 4, bottom: 6, left: labelWidth};
    const cellWidth = Math.max(4, (width - margin.left - margin.right) / Math.max(1, columns));
    const rowHeight = Math.max(9, Math.min(26, Math.floor(640 / Math.max(1, spec.rows.length))));
    const height = margin.top + spec.rows.length * rowHeight + margin.bottom;
    const root = chartRoot(width, height, spec);
    const showText = cellWidth >= 34 && rowHeight >= 16;

    const head = svg('g', {class: 'axis', 'aria-hidden': 'true'});
    head.append(svg('text', {class: 'axis-title', x: margin.left, y: 11}, spec.columnsTitle),
      svg('text', {class: 'axis-title', x: 0, y: margin.top - 6}, spec.rowsTitle));
    const every = Math.max(1, Math.ceil(22 / cellWidth));
    spec.columns.forEach((column, c) => {
      if (c % every !== 0) return;
      head.append(svg('text', {
        x: margin.left + c * cellWidth + cellWidth / 2, y: margin.top - 6, 'text-anchor': 'middle',
      }, column.label));
    });
    root.append(head);

    const body = svg('g', {class: 'cells'});
    spec.rows.forEach((row, r) => {
      const top = margin.top + r * rowHeight;
      const group = svg('g', {class: 'series', 'data-name': row.name});
      group.append(
        svg('text', {class: 'row-label', x: 0, y: top + rowHeight / 2 + 4, 'aria-hidden': 'true'}, row.label),
        svg('text', {class: 'row-note', x: labelWidth - 8, y: top + rowHeight / 2 + 4, 'text-anchor': 'end',
          'aria-hidden': 'true'}, row.note));
      spec.columns.forEach((column, c) => {
        const raw = spec.values[r][c];
        const attributes = {
          x: (margin.left + c * cellWidth).toFixed(2), y: top, width: Math.max(1, cellWidth - 1.5).toFixed(2),
          height: rowHeight - 1.5, rx: 2, 'data-bucket': column.name, 'data-value': rawValue(raw),
        };
        const tooltip = `${row.title}, ${column.title}: ${isNull(raw) ? 'not observable' : spec.format(raw)}`;
        if (isNull(raw)) {
          group.append(svg('rect', {...attributes, class: 'cell empty'}, svg('title', {}, tooltip)));
          return;
        }
        const opacity = 0.07 + 0.93 * Math.max(0, Math.min(100, Number(raw))) / 100;
        group.append(svg('rect', {...attributes, class: 'cell', style: `fill-opacity:${opacity.toFixed(3)}`},
          svg('title', {}, tooltip)));
        if (showText) {
          group.append(svg('text', {
            class: opacity > 0.55 ? 'cell-text strong' : 'cell-text', x: margin.left + c * cellWidth + cellWidth / 2,
            y: top + rowHeight / 2 + 3, 'text-anchor': 'middle', 'aria-hidden': 'true',
          }, `${Math.round(Number(raw))}`));
        }
      });
      body.append(group);
    });
    root.append(body);
    return root;
  }

  function heatLegend() {
    return html('ul', {class: 'legend heat-legend', 'aria-label': 'Legend'},
      [0, 25, 50, 75, 100].map((value) => html('li', {},
        html('span', {
          class: 'swatch heat', style: `opacity:${(0.07 + 0.93 * value / 100).toFixed(3)}`, 'aria-hidden': 'true',
        }),
        html('span', {}, `${value}%`))),
      html('li', {},
        html('span', {class: 'swatch heat empty', 'aria-hidden': 'true'}), html('span', {}, 'not observable yet')));
  }

  function heatMap(container, spec, extra = []) {
    const chart = figure('heat');
    container.replaceChildren(chart, heatLegend(), ...extra);
    D.renderResponsive(chart, (width) => chart.replaceChildren(drawHeatMap(width, spec)));
  }

  // ---------------------------------------------------------------- the page's state and the URL

  const query = new URLSearchParams(location.search);
  const state = {
    // Passed to the API as given: a bad value shows the API's message.
    weeks: query.get('weeks') ?? DEFAULT_WEEKS,
    // ?at=YYYY-MM-DD: the weeks ending with the one holding that day (the API's `at`).
    at: query.get('at') ?? '',
    model: query.get('model') ?? '',
    by: RETENTION_BY.includes(query.get('by')) ? query.get('by') : 'app',
    lengthsCategory: 'all',
  };

  function writeUrl() {
    const parameters = {weeks: state.weeks, at: state.at, model: state.model, by: state.by === 'app' ? '' : state.by};
    history.replaceState(null, '', D.withQuery(location.pathname, parameters));
  }

  function markWeeks() {
    document.body.dataset.weeks = state.weeks;
    for (const button of document.querySelectorAll('button[data-weeks]')) {
      button.setAttribute('aria-pressed', String(button.dataset.weeks === String(state.weeks)));
    }
  }

  // The weeks of an answer: {key (its Monday), label, name, partial (the week in progress)}.
  function weekBuckets(answer) {
    const partial = new Set((answer.data || []).filter((row) => row.complete === false).map((row) => row.week));
    const buckets = [];
    for (let i = 0; i < answer.weeks.count; i++) {
      const week = D.addDays(answer.weeks.from, 7 * i);
      buckets.push({
        key: week, label: D.formatDay(week), name: `week of ${D.formatDay(week, true)}`, partial: partial.has(week),
      });
    }
    return buckets;
  }

  function weeksText(answer) {
    const count = answer.weeks.count;
    return `${D.formatRange(answer.weeks.from, answer.weeks.to)} (${count} week${count === 1 ? '' : 's'})`;
  }

  // Rows per week -> one value per bucket for each of `names` (null where the week has no row).
  function pivot(rows, buckets, nameOf, valueOf, names) {
    const index = new Map(buckets.map((bucket, i) => [bucket.key, i]));
    const values = new Map(names.map((name) => [name, buckets.map(() => null)]));
    for (const row of rows) {
      const name = nameOf(row);
      if (!values.has(name) || !index.has(row.week)) continue;
      values.get(name)[index.get(row.week)] = valueOf(row);
    }
    return values;
  }

  // ---------------------------------------------------------------- CSV links

  function csvParameters(analysis) {
    const parameters = {weeks: state.weeks, at: state.at, format: 'csv'};
    if (analysis === 'retention') Object.assign(parameters, {model: state.model || retentionModel(), by: state.by});
    return parameters;
  }

  function updateCsvLinks() {
    for (const link of document.querySelectorAll('a.csv-link')) {
      const analysis = link.dataset.analysis;
      link.href = D.withQuery(`/v1/insights/${analysis}`, csvParameters(analysis));
      link.download = `insights-${analysis}.csv`;
      const title = link.closest('section').querySelector('h2').textContent;
      link.setAttribute('aria-label', `Download the data of "${title}" as CSV`);
    }
  }

  // Without a saved key the browser follows the plain link; with one, fetch + Blob.
  document.addEventListener('click', async (event) => {
    const link = event.target.closest && event.target.closest('a.csv-link');
    if (!link || !D.storedKey()) return;
    event.preventDefault();
    const tools = link.parentElement;
    tools.querySelector('.csv-error')?.remove();
    try {
      await D.downloadWithKey(link.getAttribute('href'), link.download);
    } catch (error) {
      tools.append(html('span', {class: 'csv-error', role: 'alert'}, `The download failed: ${error.message}`));
    }
  });

  // ---------------------------------------------------------------- sections

  // One GET per analysis and view: sections that read the same answer share it.
  let answers = new Map();
  function insights(analysis, extra = {}) {
    const path = analysis ? `/v1/insights/${analysis}` : '/v1/insights';
    const parameters = {weeks: state.weeks, at: state.at, ...extra};
    const key = D.withQuery(path, parameters);
    if (!answers.has(key)) answers.set(key, D.apiGet(path, parameters));
    return answers.get(key);
  }

  function statTile(metric, label, text, raw, note) {
    return html('li', {class: 'stat', 'data-metric': metric, 'data-value': rawValue(raw)},
      html('span', {class: 'stat-label'}, label), html('span', {class: 'stat-value'}, text),
      note ? html('span', {class: 'stat-note'}, note) : null);
  }

  function renderOverview(answer) {
    const t = answer.totals;
    const weekly = answer.weekly || [];
    const last = weekly[weekly.length - 1];
    const range = $('insights-range');
    range.replaceChildren(html('strong', {}, D.formatRange(answer.weeks.from, answer.weeks.to)),
      ` \u00b7 ${answer.weeks.count} week${answer.weeks.count === 1 ? '' : 's'}`,
      ...(last && last.complete === false ? [' ', html('span', {class: 'badge'}, 'last week in progress')] : []));
    range.dataset.from = answer.weeks.from;
    range.dataset.to = answer.weeks.to;
    const classShare = (name) => (answer.model_classes || []).find((row) => row.class === name)?.share ?? null;
    const china = classShare('open_weights_china');
    const rest = classShare('open_weights_rest_of_world');
    const open = isNull(china) && isNull(rest) ? null : Math.round((num(china) + num(rest)) * 100) / 100;
    const topCategory = (answer.categories || [])[0];
    const tiles = {class: 'stats', id: 'insights-totals', 'aria-label': 'Totals of the weeks shown'};
    $('overview').replaceChildren(html('ul', tiles,
      statTile('tokens', 'Tokens', D.formatTokens(t.tokens), t.tokens,
        `${D.formatTokens(t.prompt_tokens)} prompt \u00b7 ${D.formatTokens(t.completion_tokens)} completion`),
      statTile('requests', 'Requests', D.formatInteger(t.requests), t.requests,
        topCategory ? `most tokens: ${categoryLabel(categoryKey(topCategory.category))}` : null),
      statTile('cost', 'Spend', D.formatMoney(t.cost), t.cost,
        t.tokens ? `${formatPrice((t.cost * 1e6) / t.tokens)} on average` : null),
      statTile('open_weights_share', 'Open weights', formatPercent(open), open,
        isNull(open) ? null : `China ${formatPercent(china)} \u00b7 elsewhere ${formatPercent(rest)}`),
      statTile('reasoning_share', 'Reasoning', formatPercent(t.reasoning_share), t.reasoning_share,
        'of completion tokens'),
      statTile('tool_call_share', 'Tool calls', formatPercent(t.tool_call_share), t.tool_call_share, 'of requests')));
  }

  function isEmpty(rows) {
    return !rows || !rows.length;
  }

  function renderTokens(answer) {
    const container = $('tokens-chart');
    const rows = answer.data || [];
    if (!rows.some((row) => row.tokens > 0)) {
      D.message(container, D.EMPTY_TEXT);
      return;
    }
    const buckets = weekBuckets(answer);
    const series = [
      {name: 'prompt_tokens', label: 'Prompt', color: 0, values: rows.map((row) => row.prompt_tokens)},
      {name: 'completion_tokens', label: 'Completion', color: 1, values: rows.map((row) => row.completion_tokens)},
    ];
    const total = rows.reduce((sum, row) => sum + row.tokens, 0);
    const growths = rows.filter((row) => row.complete && !isNull(row.growth));
    const lastGrowth = growths[growths.length - 1];
    columnChart(container, {
      title: 'Tokens per week',
      description: `Stacked columns of prompt and completion tokens per week, ${weeksText(answer)}: `
        + `${D.formatTokens(total)} in all.`
        + (lastGrowth ? ` The last complete week changed ${formatGrowth(lastGrowth.growth)} on the week before.` : ''),
      buckets, series, format: D.formatTokens,
      // (Not over the week in progress: its growth says only how far the week has got.)
      annotations: rows.map((row) => (isNull(row.growth) || row.complete === false ? null : {
        text: formatGrowth(row.growth), value: row.growth,
        kind: row.growth > 0 ? 'up' : row.growth < 0 ? 'down' : 'flat',
      })),
    }, [D.dataTable('Tokens per week',
      ['Week', 'Requests', 'Prompt', 'Completion', 'Tokens', 'Spend', 'Growth'], rows.map((row, i) => ({
      name: row.week, header: `${D.formatDay(row.week, true)}${buckets[i].partial ? ' (in progress)' : ''}`,
      cells: [
        {text: D.formatInteger(row.requests), value: row.requests},
        {text: D.formatInteger(row.prompt_tokens), value: row.prompt_tokens},
        {text: D.formatInteger(row.completion_tokens), value: row.completion_tokens},
        {text: D.formatInteger(row.tokens), value: row.tokens},
        {text: D.formatMoney(row.cost), value: row.cost},
        {text: formatGrowth(row.growth), value: row.growth},
      ],
    })), {id: 'tokens-table'})]);
  }

  // Classes and sizes: 100% stacked columns of the API's shares, one series per kind.
  function shareOverWeeks(containerId, tableId, kinds, field, title, noun) {
    return (answer) => {
      const container = $(containerId);
      const rows = answer.data || [];
      if (isEmpty(rows)) {
        D.message(container, D.EMPTY_TEXT);
        return;
      }
      const buckets = weekBuckets(answer);
      const known = new Set(kinds.map((kind) => kind.name));
      const extra = [...new Set(rows.map((row) => row[field]).filter((name) => !known.has(name)))];
      const all = [...kinds, ...extra.map((name) => ({name, label: name, color: OTHER_COLOR}))];
      const values = pivot(rows, buckets, (row) => row[field], (row) => row.share, all.map((kind) => kind.name));
      const present = all.filter((kind) => values.get(kind.name).some((v) => !isNull(v)));
      const totals = new Map(present.map((kind) => [kind.name, rows.filter((row) => row[field] === kind.name)
        .reduce((sum, row) => sum + row.tokens, 0)]));
      const allTokens = [...totals.values()].reduce((a, v) => a + v, 0);
      const overall = (kind) => formatPercent(allTokens ? (100 * totals.get(kind.name)) / allTokens : null);
      columnChart(container, {
        title,
        description: `100% stacked columns: each week's tokens by ${noun}, ${weeksText(answer)}. Over the weeks: `
          + present.map((kind) => `${kind.label} ${overall(kind)}`).join(', ') + '.',
        buckets, percent: true, format: formatPercent,
        series: present.map((kind) => ({...kind, values: values.get(kind.name), note: overall(kind)})),
      }, [D.dataTable(title,
        ['Week', noun[0].toUpperCase() + noun.slice(1), 'Requests', 'Tokens', 'Share'], rows.map((row) => ({
          name: `${row.week}/${row[field]}`, header: D.formatDay(row.week, true),
          cells: [
            {text: all.find((kind) => kind.name === row[field]).label, value: row[field]},
            {text: D.formatInteger(row.requests), value: row.requests},
            {text: D.formatInteger(row.tokens), value: row.tokens},
            {text: formatPercent(row.share, 2), value: row.share},
          ],
        })), {id: tableId})]);
    };
  }

  /* The categories' series, from the overall ranking (most tokens first): with more than ten, the
     first nine keep their own and the rest are "Other categories" (grey). A category's colour is
     its Dashboard.colorOf('category') slot, registered as /rankings' Categories card registers it
     (the rows with tokens in the API's order; a category not recorded is named ''), so a category
     has one colour on both pages and in every category chart here. */
  function categoryPalette(answer) {
    const rows = answer.data || [];
    D.registerColors('category', rows.filter((row) => row.tokens > 0).map((row) => row.category ?? ''));
    const keys = rows.map((row) => categoryKey(row.category));
    const own = new Set(keys.length > 10 ? keys.slice(0, 9) : keys);
    const series = [...own].map((key) => ({
      name: key, label: categoryLabel(key), color: D.colorOf('category', key === NOT_RECORDED ? '' : key),
    }));
    if (keys.length > own.size) {
      series.push({name: OTHER_CATEGORIES, label: categoryLabel(OTHER_CATEGORIES), color: OTHER_COLOR});
    }
    return {series, group: (key) => (own.has(key) ? key : OTHER_CATEGORIES)};
  }

  // Sums `valueOf(row)` per category group of `palette`, one total per group name.
  function sumByGroup(rows, palette, valueOf) {
    const sums = new Map(palette.series.map((s) => [s.name, null]));
    for (const row of rows) {
      const group = palette.group(categoryKey(row.category));
      if (!sums.has(group)) continue;
      sums.set(group, (sums.get(group) ?? 0) + valueOf(row));
    }
    return sums;
  }

  function renderCategories(answer) {
    const container = $('categories-chart');
    if (isEmpty(answer.data)) {
      D.message(container, D.EMPTY_TEXT);
      return;
    }
    const palette = categoryPalette(answer);
    const authorTokens = new Map();
    for (const row of answer.by_author || []) {
      authorTokens.set(row.author, (authorTokens.get(row.author) || 0) + row.tokens);
    }
    // The authors by their tokens, most first.
    const authors = [...authorTokens.keys()]
      .sort((a, b) => authorTokens.get(b) - authorTokens.get(a) || a.localeCompare(b));
    const rows = [{name: '(all)', label: 'All traffic'},
      ...authors.map((author) => ({name: author, label: author || '(no author)'}))];
    const overall = sumByGroup(answer.data, palette, (row) => row.share);
    const perAuthor = authors.map((author) =>
      sumByGroup(answer.by_author.filter((row) => row.author === author), palette, (row) => row.share));
    const top = answer.data[0];
    hbarChart(container, {
      title: 'Share of tokens by task category, overall and per model author',
      description: `100% stacked bars, ${weeksText(answer)}: the first bar all traffic, then one per model author. `
        + `Most tokens: ${categoryLabel(categoryKey(top.category))} (${formatPercent(top.share)}).`,
      rows, percent: true, format: formatPercent,
      series: palette.series.map((s) => ({
        ...s, values: [overall.get(s.name), ...perAuthor.map((sums) => sums.get(s.name))],
      })),
    }, [D.dataTable([{
      title: 'All traffic', id: 'categories-table', caption: 'Tokens by category',
      columns: ['Category', 'Requests', 'Tokens', 'Share'], rows: answer.data.map((row) => ({
        name: categoryKey(row.category), header: categoryLabel(categoryKey(row.category)),
        cells: [
          {text: D.formatInteger(row.requests), value: row.requests},
          {text: D.formatInteger(row.tokens), value: row.tokens},
          {text: formatPercent(row.share, 2), value: row.share},
        ],
      })),
    }, {
      title: 'Per model author (share of the author\u2019s tokens)', id: 'categories-by-author-table',
      caption: 'Tokens by model author and category', columns: ['Author', 'Category', 'Requests', 'Tokens', 'Share'],
      rows: (answer.by_author || []).map((row) => ({
        name: `${row.author}/${categoryKey(row.category)}`, header: row.author,
        cells: [
          {text: categoryLabel(categoryKey(row.category)), value: categoryKey(row.category)},
          {text: D.formatInteger(row.requests), value: row.requests},
          {text: D.formatInteger(row.tokens), value: row.tokens},
          {text: formatPercent(row.share, 2), value: row.share},
        ],
      })),
    }])]);
  }

  // Categories per week: the tokens (prompt + completion) of each category and week, from /lengths.
  const tokensOf = (row) => (row.prompt_tokens ?? 0) + (row.completion_tokens ?? 0);
  function renderCategoriesWeekly([lengths, categories]) {
    const container = $('categories-weekly-chart');
    const rows = (lengths.data || []).filter((row) => row.category !== 'all');
    if (isEmpty(rows)) {
      D.message(container, D.EMPTY_TEXT);
      return;
    }
    const palette = categoryPalette(categories);
    const buckets = weekBuckets(lengths);
    const index = new Map(buckets.map((bucket, i) => [bucket.key, i]));
    const values = new Map(palette.series.map((s) => [s.name, buckets.map(() => null)]));
    for (const row of rows) {
      const series = values.get(palette.group(categoryKey(row.category)));
      if (!series || !index.has(row.week)) continue;
      const i = index.get(row.week);
      series[i] = (series[i] ?? 0) + tokensOf(row);
    }
    const present = palette.series.filter((s) => values.get(s.name).some((v) => !isNull(v)));
    columnChart(container, {
      title: 'Share of tokens by task category per week',
      description: `100% stacked columns: each week's tokens by category, ${weeksText(lengths)}.`,
      buckets, percent: true, format: formatPercent,
      series: present.map((s) => ({...s, values: values.get(s.name)})),
    }, [D.dataTable('Tokens by category per week', ['Week', 'Category', 'Requests', 'Tokens'],
      rows.map((row) => ({
        name: `${row.week}/${categoryKey(row.category)}`, header: D.formatDay(row.week, true),
        cells: [
          {text: categoryLabel(categoryKey(row.category)), value: categoryKey(row.category)},
          {text: D.formatInteger(row.requests), value: row.requests},
          {text: D.formatInteger(tokensOf(row)), value: tokensOf(row)},
        ],
      })), {id: 'categories-weekly-table'})]);
  }

  const LENGTH_SERIES = [
    {name: 'mean_prompt_tokens', label: 'Prompt, mean', color: 0, dash: false},
    {name: 'median_prompt_tokens', label: 'Prompt, median', color: 0, dash: true},
    {name: 'mean_completion_tokens', label: 'Completion, mean', color: 1, dash: false},
    {name: 'median_completion_tokens', label: 'Completion, median', color: 1, dash: true},
  ];

  let lastLengths = null;

  function renderLengths(answer) {
    lastLengths = answer;
    const container = $('lengths-chart');
    const select = $('lengths-category');
    const rows = answer.data || [];
    const categories = [...new Set(rows.filter((row) => row.category !== 'all')
      .map((row) => categoryKey(row.category)))]
      .sort((a, b) => categoryLabel(a).localeCompare(categoryLabel(b)));
    select.replaceChildren(html('option', {value: 'all'}, 'All categories'),
      ...categories.map((key) => html('option', {value: key}, categoryLabel(key))));
    if (state.lengthsCategory !== 'all' && !categories.includes(state.lengthsCategory)) state.lengthsCategory = 'all';
    select.value = state.lengthsCategory;
    const keyOf = (row) => (row.category === 'all' ? 'all' : categoryKey(row.category));
    const chosen = rows.filter((row) => keyOf(row) === state.lengthsCategory);
    if (isEmpty(chosen)) {
      D.message(container, D.EMPTY_TEXT);
      return;
    }
    const buckets = weekBuckets(answer);
    const valuesOf = (field) => pivot(chosen, buckets, () => field, (row) => row[field], [field]).get(field);
    const label = state.lengthsCategory === 'all' ? 'all categories' : categoryLabel(state.lengthsCategory);
    const requests = chosen.reduce((sum, row) => sum + row.requests, 0);
    const meanOver = (field) => chosen.reduce((sum, row) => sum + row[field] * row.requests, 0) / Math.max(1, requests);
    container.dataset.category = state.lengthsCategory;
    lineChart(container, {
      title: `Prompt and completion tokens per request, ${label}`,
      description: 'Lines of the mean and median prompt and completion tokens per request per week, '
        + `${weeksText(answer)}. Over the weeks the mean prompt is ${D.formatTokens(meanOver('mean_prompt_tokens'))} `
        + `tokens and the mean completion ${D.formatTokens(meanOver('mean_completion_tokens'))}.`,
      buckets, format: D.formatTokens,
      series: LENGTH_SERIES.map((s) => ({...s, values: valuesOf(s.name)})),
    }, [D.dataTable(`Tokens per request, ${label}`, ['Week', 'Requests', 'Mean prompt',
      'Median prompt', 'Mean completion', 'Median completion'], chosen.map((row) => ({
      name: row.week, header: D.formatDay(row.week, true),
      cells: [{text: D.formatInteger(row.requests), value: row.requests},
        ...LENGTH_SERIES.map((s) => ({text: formatNumber(row[s.name]), value: row[s.name]}))],
    })), {id: 'lengths-table'})]);
  }

  $('lengths-category').addEventListener('change', (event) => {
    state.lengthsCategory = event.target.value;
    if (lastLengths) renderLengths(lastLengths);
  });

  const REASONING_SERIES = [
    {name: 'reasoning_share', label: 'Reasoning tokens (of completion tokens)', color: 6},
    {name: 'tools_offered_share', label: 'Requests offering tools', color: 0},
    {name: 'tool_call_share', label: 'Requests answered with a tool call', color: 1},
  ];

  function renderReasoning(answer) {
    const container = $('reasoning-chart');
    const rows = answer.data || [];
    if (!rows.some((row) => row.requests > 0)) {
      D.message(container, D.EMPTY_TEXT);
      return;
    }
    const buckets = weekBuckets(answer);
    const completion = rows.reduce((sum, row) => sum + row.completion_tokens, 0);
    const requests = rows.reduce((sum, row) => sum + row.requests, 0);
    const sum = (field) => rows.reduce((total, row) => total + row[field], 0);
    const percentOf = (part, whole) => formatPercent(whole ? (100 * part) / whole : null);
    lineChart(container, {
      title: 'Reasoning and tool use per week',
      description: `Lines of percents per week, ${weeksText(answer)}. Over the weeks: reasoning `
        + `${percentOf(sum('reasoning_tokens'), completion)} of completion tokens, tools offered in `
        + `${percentOf(sum('tools_offered'), requests)} of requests, a tool call in `
        + `${percentOf(sum('tool_calls'), requests)}.`,
      buckets, percent: true, format: (v) => formatPercent(v), axisFormat: percentAxis,
      series: REASONING_SERIES.map((s) => ({...s, values: rows.map((row) => row[s.name])})),
    }, [D.dataTable('Reasoning and tools per week', ['Week', 'Requests', 'Completion tokens',
      'Reasoning tokens', 'Reasoning share', 'Tools offered', 'Offered share', 'Tool calls', 'Tool-call share'],
    rows.map((row) => ({
      name: row.week, header: D.formatDay(row.week, true),
      cells: [
        {text: D.formatInteger(row.requests), value: row.requests},
        {text: D.formatInteger(row.completion_tokens), value: row.completion_tokens},
        {text: D.formatInteger(row.reasoning_tokens), value: row.reasoning_tokens},
        {text: formatPercent(row.reasoning_share, 2), value: row.reasoning_share},
        {text: D.formatInteger(row.tools_offered), value: row.tools_offered},
        {text: formatPercent(row.tools_offered_share, 2), value: row.tools_offered_share},
        {text: D.formatInteger(row.tool_calls), value: row.tool_calls},
        {text: formatPercent(row.tool_call_share, 2), value: row.tool_call_share},
      ],
    })), {id: 'reasoning-table'})]);
  }

  const LANGUAGE_ROWS = 12;
  const OTHER_LANGUAGES = '~other';
  const UNDETERMINED = '(undetermined)';

  function renderLanguages(answer) {
    const container = $('languages-chart');
    const rows = answer.data || [];
    if (isEmpty(rows)) {
      D.message(container, D.EMPTY_TEXT);
      return;
    }
    // The first eleven languages, then "Other languages" when there are more than twelve. Each
    // language in its Dashboard.colorOf('language') slot (registered in the API's order);
    // "Undetermined" and "Other languages" grey.
    const shown = rows.length > LANGUAGE_ROWS ? rows.slice(0, LANGUAGE_ROWS - 1) : rows;
    D.registerColors('language', rows.filter((row) => !isNull(row.language)).map((row) => row.language));
    const bars = shown.map((row) => ({name: isNull(row.language) ? UNDETERMINED : row.language,
      label: languageLabel(row.language), value: row.share,
      color: D.colorOf('language', row.language, isNull(row.language))}));
    if (rows.length > shown.length) {
      bars.push({name: OTHER_LANGUAGES, label: 'Other languages', color: OTHER_COLOR,
        value: Math.round(rows.slice(shown.length).reduce((sum, row) => sum + num(row.share), 0) * 100) / 100});
    }
    hbarChart(container, {
      title: 'Share of tokens by language',
      description: `Bars of the share of tokens by the language of the prompt, ${weeksText(answer)}: `
        + bars.slice(0, 5).map((bar) => `${bar.label} ${formatPercent(bar.value)}`).join(', ') + '.',
      rows: bars, format: (v) => formatPercent(v), axisFormat: percentAxis,
      series: [{
        name: 'share', label: 'Share of tokens', colors: bars.map((bar) => bar.color), values: bars.map((bar) => bar.value),
      }],
    }, [D.dataTable('Tokens by language', ['Language', 'Requests', 'Tokens', 'Share'],
      rows.map((row) => ({
        name: isNull(row.language) ? UNDETERMINED : row.language, header: languageLabel(row.language),
        cells: [
          {text: D.formatInteger(row.requests), value: row.requests},
          {text: D.formatInteger(row.tokens), value: row.tokens},
          {text: formatPercent(row.share, 2), value: row.share},
        ],
      })), {id: 'languages-table'})]);
  }

  // "openai/gpt-4o-mini" -> "gpt-4o-mini": the author is in the tooltip and the table.
  const shortModel = (model) => model.slice(model.indexOf('/') + 1);

  function renderPrice(answer) {
    const container = $('price-chart');
    const rows = answer.data || [];
    if (isEmpty(rows)) {
      D.message(container, D.EMPTY_TEXT);
      return;
    }
    const quadrant = new Map(QUADRANTS.map((q) => [q.name, q]));
    const counts = new Map(QUADRANTS.map((q) => [q.name, 0]));
    for (const row of rows) counts.set(row.quadrant, (counts.get(row.quadrant) || 0) + 1);
    scatterChart(container, {
      title: 'Effective price against tokens per model',
      description: `A log-log scatter of ${rows.length} models, ${weeksText(answer)}: price per million tokens `
        + `across, tokens up. Median price ${formatPrice(answer.median_usd_per_million_tokens)}, median usage `
        + `${D.formatTokens(answer.median_tokens)} tokens. Most used: ${rows[0].model} `
        + `(${D.formatTokens(rows[0].tokens)} tokens at ${formatPrice(rows[0].usd_per_million_tokens)}).`,
      points: rows.map((row) => ({
        name: row.model, label: shortModel(row.model), x: num(row.usd_per_million_tokens), y: row.tokens,
        group: row.quadrant, color: quadrant.get(row.quadrant)?.color ?? OTHER_COLOR,
        tooltip: `${row.model} (${row.author}): ${D.formatTokens(row.tokens)} tokens at `
          + `${formatPrice(row.usd_per_million_tokens)}, ${D.formatMoney(row.cost)}`,
      })),
      xMedian: num(answer.median_usd_per_million_tokens), yMedian: num(answer.median_tokens),
      xFormat: (v) => `$${Number(v.toPrecision(3))}`, yFormat: (v) => D.axisLabel(D.formatTokens, v),
      xTitle: 'USD per million tokens (log)', yTitle: 'tokens (log)',
      legend: QUADRANTS.filter((q) => counts.get(q.name)).map((q) => ({...q, note: String(counts.get(q.name))})),
    }, [D.dataTable('Price and usage per model', ['Model', 'Author', 'Requests', 'Tokens', 'Cost',
      'USD per 1M tokens', 'Quadrant'], rows.map((row) => ({
      name: row.model, header: row.model,
      cells: [
        {text: row.author, value: row.author},
        {text: D.formatInteger(row.requests), value: row.requests},
        {text: D.formatInteger(row.tokens), value: row.tokens},
        {text: D.formatMoney(row.cost), value: row.cost},
        {text: formatPrice(row.usd_per_million_tokens), value: row.usd_per_million_tokens},
        {text: quadrant.get(row.quadrant)?.label ?? row.quadrant, value: row.quadrant},
      ],
    })), {id: 'price-table'})]);
  }

  // ---------------------------------------------------------------- retention

  let retentionModels = [];

  // The model shown: the one asked for, else the one with the most tokens.
  function retentionModel() {
    return state.model || retentionModels[0] || '';
  }

  function fillRetentionPickers() {
    const select = $('retention-model');
    const models = [...retentionModels];
    if (state.model && !models.includes(state.model)) models.unshift(state.model);
    select.replaceChildren(...models.map((model) => html('option', {value: model}, model)));
    select.value = retentionModel();
    select.disabled = !models.length;
    $('retention-by').value = state.by;
  }

  const BY_NOUN = {app: 'apps', key: 'keys', user: 'users'};

  function renderRetention(answer) {
    const container = $('retention-chart');
    const rows = answer.data || [];
    container.dataset.model = answer.model;
    container.dataset.by = answer.by;
    if (!rows.some((row) => row.size > 0)) {
      // (A cohort is the week of the first use over all recorded history, which may be earlier.)
      D.message(container, `No ${BY_NOUN[answer.by]} first used ${answer.model} in these weeks: show more weeks, or `
        + 'choose other cohorts.');
      return;
    }
    const columnCount = Math.max(0, ...rows.map((row) => Object.keys(row).filter((k) => /^week_\d+$/.test(k)).length));
    const columns = Array.from({length: columnCount}, (_, i) => ({
      name: `week_${i + 1}`, label: String(i + 1), title: `${i + 1} week${i ? 's' : ''} later`,
    }));
    const noun = BY_NOUN[answer.by];
    // The rows of the cohorts that hold someone (the table keeps every week).
    const sized = rows.filter((row) => row.size > 0);
    const first = rows.find((row) => row.size > 0 && !isNull(row.week_1));
    heatMap(container, {
      title: `Retention of ${answer.model} by ${answer.by}`,
      description: `A heat map: one row per cohort of ${noun} that first used ${answer.model} that week, `
        + `${weeksText(answer)}; `
        + `each cell the percent of the cohort that used it that many weeks later. ${sized.length} cohorts hold `
        + `${sized.reduce((sum, row) => sum + row.size, 0)} ${noun}`
        + (sized.length < rows.length ? `; the ${rows.length - sized.length} empty weeks are left out.` : '.')
        + (first
          ? ` The cohort of ${D.formatDay(first.cohort_week, true)}: ${formatPercent(first.week_1)} a week later.`
          : ''),
      rowsTitle: `cohort (${noun})`, columnsTitle: 'weeks since first use \u2192',
      rows: sized.map((row) => ({name: row.cohort_week, label: D.formatDay(row.cohort_week), note: String(row.size),
        title: `Cohort of ${D.formatDay(row.cohort_week, true)} (${row.size} ${noun})`})),
      columns, values: sized.map((row) => columns.map((column) => row[column.name])),
      format: (v) => formatPercent(v),
    }, [D.dataTable(`Retention of ${answer.model} by ${answer.by}`,
      ['Cohort week', 'Size', ...columns.map((column) => `+${column.label} wk`)], rows.map((row) => ({
        name: row.cohort_week, header: D.formatDay(row.cohort_week, true),
        cells: [{text: D.formatInteger(row.size), value: row.size},
          ...columns.map((column) => ({text: formatPercent(row[column.name]), value: row[column.name]}))],
      })), {id: 'retention-table'})]);
  }

  // A 403 (retention by key or user needs an admin key) is shown in this section only.
  function retentionTask() {
    const container = $('retention-chart');
    const inner = D.section(container, async () => {
      retentionModels = ((await insights('price-usage')).data || []).map((row) => row.model);
      fillRetentionPickers();
      updateCsvLinks();
      const model = retentionModel();
      if (!model) return null;
      return insights('retention', {model, by: state.by});
    }, (answer) => {
      if (answer) renderRetention(answer);
      else D.message(container, D.EMPTY_TEXT);
    });
    return async (isCurrent) => {
      try {
        await inner(isCurrent);
      } catch (error) {
        if (!(error instanceof D.ApiError) || error.status !== 403 || !isCurrent()) throw error;
        container.replaceChildren(html('div', {class: 'message forbidden', role: 'status'},
          html('p', {}, error.message),
          html('p', {}, 'Cohorts of apps are readable with this key; keys and users need an admin key.')));
        container.dataset.state = 'forbidden';
      }
    };
  }

  function chooseRetention() {
    state.model = $('retention-model').value;
    state.by = $('retention-by').value;
    writeUrl();
    updateCsvLinks();
    // While the whole view loads, start it again (its other sections would go stale otherwise).
    if (document.body.dataset.state === 'loading') load();
    else D.runView([retentionTask()]);
  }

  $('retention-model').addEventListener('change', chooseRetention);
  $('retention-by').addEventListener('change', chooseRetention);

  // ---------------------------------------------------------------- views

  function load() {
    answers = new Map();
    writeUrl();
    markWeeks();
    updateCsvLinks();
    const task = (id, analysis, render) => D.section($(id), () => insights(analysis), render);
    D.runView([
      task('overview', '', renderOverview),
      task('tokens-chart', 'tokens', renderTokens),
      task('classes-chart', 'model-classes', shareOverWeeks('classes-chart', 'classes-table', CLASSES, 'class',
        'Share of tokens by model class per week', 'model class')),
      task('sizes-chart', 'model-sizes', shareOverWeeks('sizes-chart', 'sizes-table', SIZES, 'size',
        'Share of tokens by model size per week', 'size class')),
      task('categories-chart', 'categories', renderCategories),
      D.section($('categories-weekly-chart'), () => Promise.all([insights('lengths'), insights('categories')]),
        renderCategoriesWeekly),
      task('lengths-chart', 'lengths', renderLengths),
      task('reasoning-chart', 'reasoning-and-tools', renderReasoning),
      task('languages-chart', 'languages', renderLanguages),
      task('price-chart', 'price-usage', renderPrice),
      retentionTask(),
    ]);
  }

  for (const button of document.querySelectorAll('button[data-weeks]')) {
    button.addEventListener('click', () => {
      if (button.dataset.weeks === String(state.weeks) && document.body.dataset.state === 'ready') return;
      state.weeks = button.dataset.weeks;
      load();
    });
  }

  D.auth.init(load);
  load();
});

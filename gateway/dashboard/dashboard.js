/* The gateway dashboard's shared script (every page): formatting, the API client with its key
   prompt, the view runner that marks <body data-state>, one colour per name, the models' display
   names, and small SVG charts. Our own code, no dependencies; the pages' own scripts call
   window.Dashboard.

   Test hooks (tests/browser/): <body data-state="loading|ready|error|auth">, chart series
   <g class="series" data-name data-color> with <rect data-bucket data-value> (data-partial on
   the bars of a period still running), table rows with data-name, data-rank and raw numbers in
   data-* attributes. */
'use strict';

window.Dashboard = (() => {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const KEY_STORAGE = 'gw-dashboard.api-key';
  const PALETTE_SIZE = 10; // --c0 .. --c9; --c10 is the grey of "other"
  const OTHER_COLOR = 10;

  // ---------------------------------------------------------------- formatting

  const TOKEN_UNITS = [[1e3, 'K'], [1e6, 'M'], [1e9, 'B'], [1e12, 'T']];

  // 999, 12.1K, 45.3M, 1.2B: one decimal above a thousand, promoted when rounding reaches 1000.
  function formatTokens(count) {
    const value = Math.round(Number(count) || 0);
    if (Math.abs(value) < 1000) return String(value);
    let unit = 0;
    while (unit + 1 < TOKEN_UNITS.length && Math.abs(value) >= TOKEN_UNITS[unit + 1][0]) unit++;
    let scaled = Math.round((value / TOKEN_UNITS[unit][0]) * 10) / 10;
    if (Math.abs(scaled) >= 1000 && unit + 1 < TOKEN_UNITS.length) {
      unit++;
      scaled = Math.round((value / TOKEN_UNITS[unit][0]) * 10) / 10;
    }
    return scaled.toFixed(1) + TOKEN_UNITS[unit][1];
  }

  const integerFormat = new Intl.NumberFormat('en-US');
  const centsFormat = new Intl.NumberFormat('en-US', {
    style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2,
  });
  const smallMoneyFormat = new Intl.NumberFormat('en-US', {
    style: 'currency', currency: 'USD', maximumSignificantDigits: 2,
  });

  function formatInteger(count) {
    return integerFormat.format(Math.round(Number(count) || 0));
  }

  // $3,412.18; amounts below a cent keep two significant digits ($0.0042) instead of "$0.00".
  function formatMoney(usd) {
    const value = Number(usd) || 0;
    if (value !== 0 && Math.abs(value) < 0.01) return smallMoneyFormat.format(value);
    return centsFormat.format(value);
  }

  // +12.5% / −3.1% (a real minus sign) / 0.0% / "new" when there is nothing to compare with.
  function formatChange(change) {
    if (change === null || change === undefined) return 'new';
    const rounded = Math.round(Number(change) * 10) / 10;
    if (rounded === 0) return '0.0%';
    return (rounded > 0 ? '+' : '\u2212') + Math.abs(rounded).toFixed(1) + '%';
  }

  function formatShare(share) {
    return (Number(share) || 0).toFixed(1) + '%';
  }

  // ---------------------------------------------------------------- dates (UTC, YYYY-MM-DD)

  const DAY_MS = 86400000;
  const shortDate = new Intl.DateTimeFormat('en-US', {month: 'short', day: 'numeric', timeZone: 'UTC'});
  const longDate = new Intl.DateTimeFormat('en-US', {
    month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC',
  });

  function parseDay(text) {
    return new Date(text + 'T00:00:00Z');
  }

  function dayString(date) {
    return date.toISOString().slice(0, 10);
  }

  function todayUtc() {
    return dayString(new Date());
  }

  function addDays(day, count) {
    return dayString(new Date(parseDay(day).getTime() + count * DAY_MS));
  }

  // Every day from `from` to `to`, inclusive.
  function daysBetween(from, to) {
    const days = [];
    for (let day = from; day <= to && days.length < 3700; day = addDays(day, 1)) days.push(day);
    return days;
  }

  function formatDay(day, withYear = false) {
    return (withYear ? longDate : shortDate).format(parseDay(day));
  }

  // "Nov 16 – Nov 22, 2026", or one date when the range is a single day.
  function formatRange(from, to) {
    if (from === to) return formatDay(from, true);
    const sameYear = from.slice(0, 4) === to.slice(0, 4);
    return `${formatDay(from, !sameYear)} \u2013 ${formatDay(to, true)}`;
  }

  // ---------------------------------------------------------------- DOM helpers

  // Builds an element: attributes (null/undefined skipped) and children (strings become text).
  function build(namespace, tag, attributes, children) {
    const node = namespace ? document.createElementNS(namespace, tag) : document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined && value !== false) node.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === 'object' ? child : String(child));
    }
    return node;
  }

  function html(tag, attributes, ...children) {
    return build(null, tag, attributes, children);
  }

  function svg(tag, attributes, ...children) {
    return build(SVG_NS, tag, attributes, children);
  }

  function colorVar(index) {
    return `var(--c${index})`;
  }

  // Palette slot of the i-th series; "other" rows are always grey.
  function colorIndex(position, isOther) {
    return isOther ? OTHER_COLOR : position % PALETTE_SIZE;
  }

  // ---------------------------------------------------------------- one colour per name

  /* A model (or author, app, provider: a `kind`) keeps one palette slot wherever the page shows
     it: chart, legend, donut, share bar. The slot starts from a hash of the name, so a name has
     the same colour across periods and pages unless another name of its kind took that slot
     first; a taken slot moves on to the next free one, so the first PALETTE_SIZE names of a kind
     on a page never share a colour (past that, slots repeat). Pages register names in an order
     fixed by the data (the chart's series first, then ranked rows), never by which answer came
     back first, so a reload paints the same colours. */
  const colorSlots = new Map(); // kind -> Map(name -> slot)

  // FNV-1a over the UTF-16 code units: stable, cheap, well spread for short names.
  function hashName(name) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < name.length; i++) {
      hash ^= name.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash;
  }

  function registerColors(kind, names) {
    if (!colorSlots.has(kind)) colorSlots.set(kind, new Map());
    const slots = colorSlots.get(kind);
    for (const name of names) {
      if (slots.has(name)) continue;
      const used = new Set(slots.values());
      let slot = hashName(name) % PALETTE_SIZE;
      if (used.size < PALETTE_SIZE) while (used.has(slot)) slot = (slot + 1) % PALETTE_SIZE;
      slots.set(name, slot);
    }
  }

  // The palette slot of `name` among its `kind`; grey for an "other" row.
  function colorOf(kind, name, isOther = false) {
    if (isOther) return OTHER_COLOR;
    registerColors(kind, [name]);
    return colorSlots.get(kind).get(name);
  }

  // ---------------------------------------------------------------- display names of models

  let modelListing = null; // Promise of Map(id -> {name, ...the /v1/models entry})

  // The configured models from GET /v1/models, loaded once per page. Never rejects: without the
  // listing (no key yet, an old gateway) names show as their ids.
  function models() {
    if (!modelListing) {
      modelListing = apiGet('/v1/models').then(
        (answer) => new Map((answer.data || []).map((model) => [model.id, model])),
        () => {
          modelListing = null; // try again on the next view (e.g. after a key was entered)
          return new Map();
        });
    }
    return modelListing;
  }

  // "GPT-4o mini" for "openai/gpt-4o-mini" when the config names it; the id otherwise.
  function modelName(listing, id) {
    const model = listing && listing.get(id);
    return model && model.name ? model.name : id;
  }

  // The model's page (gateway/dashboard/model.html): /models/{author}/{slug}.
  function modelHref(id) {
    return '/models/' + id.split('/').map(encodeURIComponent).join('/');
  }

  function swatch(index) {
    return html('span', {class: 'swatch', style: `background:${colorVar(index)}`, 'aria-hidden': 'true'});
  }

  function message(container, text, kind = 'empty') {
    container.replaceChildren(html('div', {class: `message ${kind}`, role: kind === 'error' ? 'alert' : null}, text));
  }

  const EMPTY_TEXT = 'No usage recorded for this period yet';

  let idCounter = 0;
  function uniqueId(prefix) {
    idCounter += 1;
    return `${prefix}-${idCounter}`;
  }

  // ---------------------------------------------------------------- API client and the key

  class ApiError extends Error {
    constructor(status, text) {
      super(text);
      this.status = status;
    }

    get isAuth() {
      return this.status === 401 || this.status === 403;
    }
  }

  function storedKey() {
    try {
      return localStorage.getItem(KEY_STORAGE) || '';
    } catch {
      return '';
    }
  }

  function storeKey(key) {
    try {
      if (key) localStorage.setItem(KEY_STORAGE, key);
      else localStorage.removeItem(KEY_STORAGE);
    } catch {
      /* storage disabled: the key lives until the page closes */
    }
  }

  function authHeaders() {
    const key = storedKey();
    return key ? {Authorization: `Bearer ${key}`} : {};
  }

  // "/v1/activity" + {from, to, model: ''} -> "/v1/activity?from=..&to=.." (empty values left out).
  function withQuery(path, parameters) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(parameters || {})) {
      if (value !== null && value !== undefined && value !== '') query.set(name, String(value));
    }
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  }

  // GET a JSON API; throws ApiError with the message of the OpenAI-shaped error body.
  async function apiGet(path, parameters) {
    let response;
    try {
      response = await fetch(withQuery(path, parameters), {
        headers: {Accept: 'application/json', ...authHeaders()},
        cache: 'no-store',
      });
    } catch (error) {
      throw new ApiError(0, `The gateway cannot be reached (${error.message}).`);
    }
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (!response.ok) {
      const detail = body && body.error && body.error.message;
      throw new ApiError(response.status, detail || `The gateway answered ${response.status} ${response.statusText}`.trim());
    }
    if (body === null) throw new ApiError(response.status, 'The gateway answered with something other than JSON.');
    return body;
  }

  // Downloads `path` with the key as a file named `fileName` (fetch + Blob + <a download>).
  async function downloadWithKey(path, fileName) {
    const response = await fetch(path, {headers: authHeaders(), cache: 'no-store'});
    if (!response.ok) {
      let detail = '';
      try {
        detail = (await response.json()).error.message;
      } catch {
        detail = `${response.status} ${response.statusText}`;
      }
      throw new ApiError(response.status, detail);
    }
    const url = URL.createObjectURL(await response.blob());
    const link = html('a', {href: url, download: fileName, hidden: ''});
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // The key panel (#key-panel) and the header's key status (#key-status) of each page.
  const auth = {
    onKeyChange: () => {},

    init(onKeyChange) {
      this.onKeyChange = onKeyChange;
      const form = document.getElementById('key-form');
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const input = document.getElementById('key-input');
        const key = input.value.trim();
        if (!key) return;
        storeKey(key);
        input.value = '';
        this.renderStatus();
        this.onKeyChange();
      });
      document.getElementById('forget-key').addEventListener('click', () => {
        storeKey('');
        this.renderStatus();
        this.onKeyChange();
      });
      this.renderStatus();
    },

    renderStatus() {
      document.getElementById('key-status').hidden = !storedKey();
    },

    ask(error) {
      const panel = document.getElementById('key-panel');
      const problem = document.getElementById('key-problem');
      // 401: no key or a wrong one; 403: a valid key that may not read this (an admin's view).
      if (error.status === 403) {
        problem.textContent = `This key may not read this view: ${error.message}`;
      } else {
        problem.textContent = storedKey() ? `The saved key was refused: ${error.message}` : error.message;
      }
      panel.hidden = false;
      document.getElementById('key-input').focus();
    },

    hide() {
      document.getElementById('key-panel').hidden = true;
    },
  };

  // ---------------------------------------------------------------- views and sections

  let viewGeneration = 0;

  // Runs the tasks of a view together; <body data-state> becomes "ready" when all rendered,
  // "auth" when the API wants a key, "error" when one failed. A newer view makes older tasks
  // stale: they neither render nor set the state.
  async function runView(tasks) {
    viewGeneration += 1;
    const generation = viewGeneration;
    const isCurrent = () => generation === viewGeneration;
    document.body.dataset.state = 'loading';
    const results = await Promise.allSettled(tasks.map((task) => task(isCurrent)));
    if (!isCurrent()) return;
    const failures = results.filter((result) => result.status === 'rejected').map((result) => result.reason);
    const authFailure = failures.find((error) => error instanceof ApiError && error.isAuth);
    if (authFailure) {
      auth.ask(authFailure);
      document.body.dataset.state = 'auth';
      return;
    }
    auth.hide();
    for (const failure of failures) if (!(failure instanceof ApiError)) console.error(failure);
    document.body.dataset.state = failures.length ? 'error' : 'ready';
  }

  // A task that loads data and renders it into `container`, showing the API's message on error.
  function section(container, load, render) {
    return async (isCurrent) => {
      container.setAttribute('aria-busy', 'true');
      try {
        const data = await load();
        if (!isCurrent()) return;
        render(data);
        container.dataset.state = 'ready';
      } catch (error) {
        if (!isCurrent()) return;
        const needsKey = error instanceof ApiError && error.isAuth;
        message(container, needsKey ? 'An API key is needed to read usage.' : error.message || String(error),
          needsKey ? 'empty' : 'error');
        container.dataset.state = 'error';
        throw error;
      } finally {
        container.removeAttribute('aria-busy');
      }
    };
  }

  // ---------------------------------------------------------------- charts: shared parts

  // The axis of a chart whose largest value is `max`: about four steps of 1, 2, 2.5 or 5 x 10^n
  // (whole numbers when `integers`), the top a multiple of the step.
  function niceAxis(max, integers) {
    if (!(max > 0)) return {top: integers ? 4 : 1, step: integers ? 1 : 0.25};
    const rough = max / 4;
    const power = 10 ** Math.floor(Math.log10(rough));
    let step = 10 * power;
    for (const factor of [1, 2, 2.5, 5]) {
      if (factor * power >= rough) {
        step = factor * power;
        break;
      }
    }
    if (integers) step = Math.max(1, Math.ceil(step));
    return {top: Math.ceil(max / step - 1e-9) * step, step};
  }

  // Axis labels drop a trailing ".0" (125K, not 125.0K).
  function axisLabel(format, value) {
    return format(value).replace(/\.0(?=[KMBT]?$)/, '');
  }

  /* <details> with a table: the text alternative of a chart. `rows`: per row an array of cells,
     the first its header; or {name, header, cells} to mark the row <tr data-name>. A cell is text,
     or {text, value} to keep the raw number in <td data-value> ('' for null). `options.id` names
     the <table>. Several tables in one <details>: pass a list of {caption, columns, rows, id,
     title} instead (title: an <h3> above that table). */
  function dataTable(caption, columns, rows, options = {}) {
    const tables = Array.isArray(caption) ? caption : [{caption, columns, rows, ...options}];
    const cell = (content) => (content !== null && typeof content === 'object' && !(content instanceof Node)
      ? html('td', {class: 'num', 'data-value': content.value === null || content.value === undefined ? '' : content.value},
        content.text)
      : html('td', {class: 'num'}, content));
    const row = (entry) => (Array.isArray(entry)
      ? html('tr', {}, html('th', {scope: 'row'}, entry[0]), entry.slice(1).map(cell))
      : html('tr', {'data-name': entry.name}, html('th', {scope: 'row'}, entry.header), entry.cells.map(cell)));
    return html('details', {class: 'data-table'},
      html('summary', {}, 'Show the data as a table'),
      tables.flatMap((table) => [
        table.title ? html('h3', {class: 'table-title'}, table.title) : null,
        html('div', {class: 'table-wrap'},
          html('table', {id: table.id},
            html('caption', {class: 'visually-hidden'}, table.caption),
            html('thead', {}, html('tr', {}, table.columns.map((column, i) =>
              html('th', {scope: 'col', class: i ? 'num' : null}, column)))),
            html('tbody', {}, table.rows.map(row))))]));
  }

  // Re-renders a chart when its container changes width (phones rotating, windows resizing).
  function renderResponsive(container, draw) {
    let lastWidth = 0;
    const redraw = () => {
      const width = Math.floor(container.clientWidth);
      if (width === lastWidth || width === 0) return;
      lastWidth = width;
      draw(width);
    };
    if (container._chartObserver) container._chartObserver.disconnect();
    container._chartObserver = new ResizeObserver(redraw);
    container._chartObserver.observe(container);
    redraw();
    if (lastWidth === 0) draw(640);
  }

  // ---------------------------------------------------------------- stacked bar chart

  /* spec: {title, description, labels: [short label per bucket], bucketNames: [full name per
     bucket], series: [{name, label, values, color}], format: value -> text, integers: whole
     numbers only (axis steps >= 1), max: a fixed axis top (100 for shares), partial: [true for
     each bucket whose period is still running], height, legend: false to leave the legend out,
     legendValues: [text per series] instead of each series' total}
     Draws one bar per bucket stacked from the first series up; each rect carries data-bucket
     and data-value (raw), each series group data-name. A partial bucket's bars are drawn
     hatched and its label ends in "*", so a week in progress does not read as a fall. */
  function drawStackedBars(width, spec) {
    const height = spec.height || (width < 480 ? 200 : 260);
    const margin = {top: 10, right: 6, bottom: 24, left: 48};
    const plotWidth = Math.max(10, width - margin.left - margin.right);
    const plotHeight = height - margin.top - margin.bottom;
    const count = spec.labels.length;
    const totals = spec.labels.map((_, bucket) =>
      spec.series.reduce((sum, series) => sum + (Number(series.values[bucket]) || 0), 0));
    const axis = spec.max ? {top: spec.max, step: spec.max / 4} : niceAxis(Math.max(0, ...totals), spec.integers);
    const partial = (bucket) => !!(spec.partial && spec.partial[bucket]);
    const top = axis.top;
    const y = (value) => margin.top + plotHeight - (value / top) * plotHeight;
    const band = plotWidth / Math.max(1, count);
    const barWidth = Math.max(1, Math.min(48, band * (count > 40 ? 0.8 : 0.68)));

    const titleId = uniqueId('chart-title');
    const descId = uniqueId('chart-desc');
    const root = svg('svg', {
      role: 'img', 'aria-labelledby': `${titleId} ${descId}`,
      viewBox: `0 0 ${width} ${height}`, width, height,
    }, svg('title', {id: titleId}, spec.title), svg('desc', {id: descId}, spec.description));

    const grid = svg('g', {class: 'tick', 'aria-hidden': 'true'});
    for (let i = 0; i * axis.step <= top + 1e-9; i++) {
      const value = i * axis.step;
      grid.append(
        svg('line', {class: i ? 'gridline' : 'baseline', x1: margin.left, x2: width - margin.right, y1: y(value), y2: y(value)}),
        svg('text', {x: margin.left - 6, y: y(value) + 4, 'text-anchor': 'end'}, axisLabel(spec.format, value)));
    }
    root.append(grid);

    const bars = svg('g', {class: 'bars'});
    const base = totals.map(() => 0);
    spec.series.forEach((series) => {
      const group = svg('g', {
        class: 'series', 'data-name': series.name, 'data-color': series.color, style: `fill:${colorVar(series.color)}`,
      });
      series.values.forEach((raw, bucket) => {
        const value = Number(raw) || 0;
        const x = margin.left + bucket * band + (band - barWidth) / 2;
        const barTop = y(base[bucket] + value);
        const rect = svg('rect', {
          class: partial(bucket) ? 'bar partial' : 'bar', x: x.toFixed(2), y: barTop.toFixed(2),
          width: barWidth.toFixed(2), height: Math.max(0, y(base[bucket]) - barTop).toFixed(2),
          'data-bucket': bucket, 'data-value': raw, 'data-partial': partial(bucket) ? 'true' : null,
        }, svg('title', {}, `${series.label}, ${spec.bucketNames[bucket]}${partial(bucket) ? ' (so far)' : ''}: ` +
          spec.format(value)));
        base[bucket] += value;
        group.append(rect);
      });
      bars.append(group);
    });
    root.append(bars);

    // X labels: as many as fit, always the last one.
    const every = Math.max(1, Math.ceil(count / Math.max(1, Math.floor(plotWidth / 52))));
    const labels = svg('g', {class: 'axis', 'aria-hidden': 'true'});
    spec.labels.forEach((label, bucket) => {
      if ((count - 1 - bucket) % every !== 0) return;
      labels.append(svg('text', {
        x: margin.left + bucket * band + band / 2, y: height - 6, 'text-anchor': 'middle',
        class: partial(bucket) ? 'partial-label' : null,
      }, partial(bucket) ? `${label}*` : label));
    });
    root.append(labels);
    return root;
  }

  // A stacked bar chart with its legend and data table in `container`; an empty message when
  // every bucket is zero. Returns nothing; the container keeps redrawing on resize.
  function stackedBarChart(container, spec) {
    const total = spec.series.reduce((sum, s) => sum + s.values.reduce((a, v) => a + (Number(v) || 0), 0), 0);
    if (!spec.series.length || total === 0) {
      message(container, spec.emptyText || EMPTY_TEXT);
      return;
    }
    const figure = html('div', {class: 'chart'});
    const parts = [figure];
    if (spec.legend !== false) {
      // Each series' total, or the page's own text (legendValues) where a sum means nothing (shares).
      const legendValue = (series, i) => (spec.legendValues ? spec.legendValues[i]
        : spec.format(series.values.reduce((a, v) => a + (Number(v) || 0), 0)));
      parts.push(html('ul', {class: 'legend', 'aria-label': 'Legend'}, spec.series.map((series, i) =>
        html('li', {'data-name': series.name}, swatch(series.color), html('span', {}, series.label),
          html('span', {class: 'value'}, legendValue(series, i))))));
    }
    if (spec.partial && spec.partial.some(Boolean)) {
      parts.push(html('p', {class: 'chart-note'}, '* In progress: the bar counts the period so far.'));
    }
    parts.push(dataTable(spec.title,
      ['Period', ...spec.series.map((s) => s.label), ...(spec.series.length > 1 ? ['Total'] : [])],
      spec.bucketNames.map((rawName, bucket) => {
        const name = spec.partial && spec.partial[bucket] ? `${rawName} (in progress)` : rawName;
        const cells = spec.series.map((s) => Number(s.values[bucket]) || 0);
        return [name, ...cells.map(spec.format),
          ...(spec.series.length > 1 ? [spec.format(cells.reduce((a, v) => a + v, 0))] : [])];
      })));
    container.replaceChildren(...parts);
    renderResponsive(figure, (width) => figure.replaceChildren(drawStackedBars(width, spec)));
  }

  // A one-line summary of a series set for <desc>: the total and the three largest.
  function describeSeries(series, format) {
    const sorted = [...series].filter((s) => !s.other)
      .map((s) => ({label: s.label, total: s.values.reduce((a, v) => a + (Number(v) || 0), 0)}))
      .sort((a, b) => b.total - a.total).slice(0, 3);
    if (!sorted.length) return '';
    return 'Largest: ' + sorted.map((s) => `${s.label} (${format(s.total)})`).join(', ') + '.';
  }

  // ---------------------------------------------------------------- donut chart

  /* spec: {title, description, slices: [{name, label, value, share, color}], centerValue,
     centerLabel}. Each slice is a <circle class="slice" data-name data-value> drawn with a dash
     of its share of the ring. */
  function donutChart(spec) {
    const size = 168;
    const radius = 62;
    const stroke = 26;
    const circumference = 2 * Math.PI * radius;
    const total = spec.slices.reduce((sum, slice) => sum + slice.value, 0) || 1;
    const titleId = uniqueId('chart-title');
    const descId = uniqueId('chart-desc');
    const root = svg('svg', {
      role: 'img', 'aria-labelledby': `${titleId} ${descId}`, viewBox: `0 0 ${size} ${size}`,
      width: size, height: size, class: 'donut',
    }, svg('title', {id: titleId}, spec.title), svg('desc', {id: descId}, spec.description));
    const ring = svg('g', {transform: `rotate(-90 ${size / 2} ${size / 2})`});
    let offset = 0;
    for (const slice of spec.slices) {
      const length = (slice.value / total) * circumference;
      ring.append(svg('circle', {
        class: 'slice', cx: size / 2, cy: size / 2, r: radius, fill: 'none',
        'stroke-width': stroke, style: `stroke:${colorVar(slice.color)}`,
        'stroke-dasharray': `${Math.max(0, length - (spec.slices.length > 1 ? 1.5 : 0)).toFixed(2)} ${circumference.toFixed(2)}`,
        'stroke-dashoffset': (-offset).toFixed(2), 'data-name': slice.name, 'data-value': slice.value,
      }, svg('title', {}, `${slice.label}: ${formatShare(slice.share)}`)));
      offset += length;
    }
    root.append(ring,
      svg('text', {class: 'donut-center-value', x: size / 2, y: size / 2 + 4, 'text-anchor': 'middle'}, spec.centerValue),
      svg('text', {class: 'donut-center-label', x: size / 2, y: size / 2 + 22, 'text-anchor': 'middle'}, spec.centerLabel));
    return html('div', {class: 'chart'}, root);
  }

  // ---------------------------------------------------------------- table pieces

  // The change badge: green up arrow, red down arrow, grey "new". `against` names what the
  // change is measured against (the tooltip).
  function changeBadge(change, against = 'the previous period') {
    const text = formatChange(change);
    if (change === null || change === undefined) {
      return html('span', {class: 'change new'}, html('span', {class: 'change-text'}, text));
    }
    const rounded = Math.round(Number(change) * 10) / 10;
    const kind = rounded > 0 ? 'up' : rounded < 0 ? 'down' : 'flat';
    const arrow = kind === 'up' ? '\u25B2' : kind === 'down' ? '\u25BC' : '';
    const spoken = kind === 'up' ? 'up ' : kind === 'down' ? 'down ' : '';
    return html('span', {class: `change ${kind}`, title: `${spoken}${text} on ${against}`},
      arrow ? html('span', {'aria-hidden': 'true'}, arrow) : null,
      html('span', {class: 'visually-hidden'}, spoken), html('span', {class: 'change-text'}, text));
  }

  // A bar under a name showing its share (0-100), in palette colour `color`.
  function shareBar(share, color) {
    return html('span', {class: 'share-bar', 'aria-hidden': 'true'},
      html('span', {style: `width:${Math.max(0, Math.min(100, Number(share) || 0))}%;background:${colorVar(color)}`}));
  }

  function tableWrap(table) {
    return html('div', {class: 'table-wrap'}, table);
  }

  return {
    // formatting
    formatTokens, formatMoney, formatChange, formatShare, formatInteger,
    // dates
    todayUtc, addDays, daysBetween, formatDay, formatRange,
    // DOM
    html, svg, swatch, message, colorIndex, colorOf, registerColors, EMPTY_TEXT,
    // models
    models, modelName, modelHref,
    // API
    ApiError, apiGet, withQuery, storedKey, downloadWithKey, auth,
    // views
    runView, section,
    // charts and tables (the parts too, for pages that draw charts of their own)
    stackedBarChart, describeSeries, donutChart, changeBadge, shareBar, tableWrap, dataTable,
    uniqueId, colorVar, niceAxis, axisLabel, renderResponsive,
  };
})();

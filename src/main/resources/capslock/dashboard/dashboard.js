// capslock's dashboard: draws the snapshots the server pushes once a second on /events
// (Server-Sent Events). Plain JavaScript, no build step; the charts are uPlot's.
// Everything the server sends is put on the page with textContent, never as HTML: the traffic
// feed carries text that clients typed.
(function () {
  'use strict';

  const WINDOW_SECONDS = 300; // five minutes, one point a second
  const GROUP_NAMES = { tcp: 'TCP', udp: 'UDP', worker: 'Workers', limits: 'Limits' };
  // The charts of a group, in this order: the server says which kind each series is.
  const CHARTS = [
    { kind: 'rate', title: 'per second', format: perSecond },
    { kind: 'bytes', title: 'bytes per second', format: bytesPerSecond },
    { kind: 'gauge', title: 'now', format: whole },
    { kind: 'latency', title: 'latency, milliseconds', format: millis },
    { kind: 'dropped', title: 'dropped per second', format: perSecond },
  ];
  const COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#db2777', '#0891b2', '#ca8a04', '#475569'];

  const time = []; // seconds since the epoch, as uPlot takes it
  let values = {}; // series name -> its points, aligned with time
  let charts = []; // { names, plot, card }
  let layout = '';

  // ---- numbers as people read them ----

  const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
  const grouped = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

  function perSecond(v) { return v == null ? '–' : (v < 10 ? round(v, 1) : compact.format(v)) + '/s'; }
  function whole(v) { return v == null ? '–' : grouped.format(v); }
  function millis(v) { return v == null ? '–' : (v < 10 ? round(v, 3) : round(v, 1)) + ' ms'; }
  function bytesPerSecond(v) {
    if (v == null) return '–';
    const units = ['B', 'kB', 'MB', 'GB'];
    let unit = 0;
    while (v >= 1000 && unit < units.length - 1) { v /= 1000; unit++; }
    return (unit === 0 && v >= 10 ? Math.round(v) : round(v, 1)) + ' ' + units[unit] + '/s';
  }
  function round(v, decimals) { return Number(v.toFixed(decimals)).toString(); }
  /** A time as 14:05:30; on an axis, 14:05 at whole minutes. */
  function clock(seconds, withSeconds) {
    const time = new Date(seconds * 1000);
    const two = n => String(n).padStart(2, '0');
    const label = two(time.getHours()) + ':' + two(time.getMinutes());
    return time.getSeconds() === 0 && !withSeconds ? label : label + ':' + two(time.getSeconds());
  }

  // ---- small DOM helpers: text only ----

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text != null) made.textContent = text;
    return made;
  }

  /** Control characters of a client's text made visible (a newline as ⏎), for the traffic feed. */
  function visible(text) {
    return text.replace(/\r?\n/g, '⏎').replace(/\t/g, '⇥').replace(/[\u0000-\u001f\u007f]/g, '·');
  }

  // ---- the charts, laid out from the series the server lists ----

  function groupTitle(group) {
    return GROUP_NAMES[group] || group.charAt(0).toUpperCase() + group.slice(1);
  }

  /** Builds a section per group and a chart per kind of series, with its big numbers beside it. */
  function buildLayout(series) {
    charts.forEach(chart => chart.plot.destroy());
    charts = [];
    const main = document.getElementById('groups');
    main.replaceChildren();
    const groups = [];
    series.forEach(one => { if (!groups.includes(one.group)) groups.push(one.group); });
    if (groups.length === 0) { // a workers node: its work is counted by the endpoints that ask for it
      main.append(element('p', 'empty', 'No figures on this node: the endpoints nodes count the traffic.'));
    }
    for (const group of groups) {
      const section = element('section', 'group');
      section.dataset.group = group;
      section.append(element('h2', null, groupTitle(group)));
      const cards = element('div', 'cards');
      section.append(cards);
      for (const chart of CHARTS) {
        const members = series.filter(one => one.group === group && one.kind === chart.kind);
        if (members.length > 0) cards.append(buildCard(group, chart, members));
      }
      main.append(section);
    }
  }

  function buildCard(group, chart, members) {
    const card = element('div', 'card');
    card.dataset.kind = chart.kind;
    const figure = element('div', 'figure');
    figure.append(element('h3', null, chart.title));
    const area = element('div', 'plot');
    figure.append(area);
    const numbers = element('ul', 'numbers');
    members.forEach((one, i) => {
      const item = element('li');
      item.dataset.series = one.series;
      item.style.setProperty('--color', COLORS[i % COLORS.length]);
      item.append(element('span', 'value', '–'), element('span', 'label', one.label), element('span', 'total'));
      numbers.append(item);
    });
    card.append(figure, numbers);
    const names = members.map(one => one.series);
    names.forEach(name => { if (!values[name]) values[name] = time.map(() => null); });
    const plot = new uPlot({
      width: 400,
      height: 170,
      legend: { show: false }, // the big numbers are the legend
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: (u, min, max) => [max - WINDOW_SECONDS, max] },
        y: { range: (u, min, max) => [0, max > 0 ? max * 1.15 : 1] },
      },
      axes: [
        { stroke: '#64748b', grid: { stroke: '#eef2f7' }, values: (u, ticks) => ticks.map(tick => clock(tick)) },
        { stroke: '#64748b', grid: { stroke: '#eef2f7' }, size: 64, values: (u, ticks) => ticks.map(axisLabel(chart.kind)) },
      ],
      series: [{}].concat(members.map((one, i) => ({
        label: one.label,
        stroke: COLORS[i % COLORS.length],
        fill: COLORS[i % COLORS.length] + '14',
        width: 2,
        points: { show: false },
      }))),
    }, data(names), area);
    charts.push({ names, plot, area });
    return card;
  }

  function axisLabel(kind) {
    if (kind === 'bytes') return v => bytesPerSecond(v).replace('/s', '');
    if (kind === 'latency') return v => round(v, 3);
    return v => compact.format(v);
  }

  function data(names) {
    return [time].concat(names.map(name => values[name]));
  }

  function resize() {
    charts.forEach(chart => {
      const width = Math.max(200, Math.floor(chart.area.getBoundingClientRect().width));
      if (chart.plot.width !== width) chart.plot.setSize({ width, height: 170 });
    });
  }

  // ---- the figures ----

  /** Appends one snapshot's values, keeping every column as long as the time column, five minutes at most. */
  function append(snapshot) {
    time.push(snapshot.time / 1000);
    for (const name of Object.keys(values)) values[name].push(snapshot.values[name] ?? null);
    for (const name of Object.keys(snapshot.values)) {
      if (!values[name]) values[name] = time.map((t, i) => (i === time.length - 1 ? snapshot.values[name] : null));
    }
    while (time.length > WINDOW_SECONDS) {
      time.shift();
      for (const name of Object.keys(values)) values[name].shift();
    }
  }

  function redraw() {
    charts.forEach(chart => chart.plot.setData(data(chart.names)));
  }

  function showNumbers(snapshot) {
    document.querySelectorAll('.card').forEach(card => {
      const format = CHARTS.find(chart => chart.kind === card.dataset.kind).format;
      card.querySelectorAll('li[data-series]').forEach(item => {
        const name = item.dataset.series;
        const value = snapshot.values[name];
        item.querySelector('.value').textContent = format(value ?? null);
        item.dataset.value = value == null ? '' : String(value);
        const total = snapshot.totals[name];
        item.querySelector('.total').textContent = total == null ? '' : grouped.format(total) + ' in all';
      });
    });
  }

  function showHealth(health) {
    const status = document.getElementById('status');
    const checks = document.getElementById('checks');
    if (!health) {
      status.textContent = 'checking…';
      status.className = 'status';
      return;
    }
    status.textContent = health.status;
    status.className = 'status ' + health.status.toLowerCase();
    document.title = 'capslock: ' + health.status;
    checks.replaceChildren();
    for (const [name, check] of Object.entries(health.checks)) {
      const item = element('li', check.status.toLowerCase());
      item.dataset.check = name;
      item.dataset.status = check.status;
      item.append(element('b', null, name), element('span', 'word', check.status), element('span', 'detail', check.detail));
      checks.append(item);
    }
  }

  function showNode(node) {
    const list = document.getElementById('node');
    list.replaceChildren();
    for (const [name, value] of Object.entries(node)) {
      const shown = Array.isArray(value) ? value.length + ': ' + value.join(', ') : value;
      const pair = element('div');
      pair.append(element('dt', null, name), element('dd', null, shown));
      list.append(pair);
    }
  }

  let lastShownRequest = -1;

  function showTraffic(entries) {
    const section = document.getElementById('traffic');
    if (!entries) {
      section.hidden = true;
      return;
    }
    section.hidden = false;
    const newest = entries.length ? entries[entries.length - 1].seq : -1;
    if (newest === lastShownRequest) return; // no new request: the rows stay, and can be selected
    lastShownRequest = newest;
    const rows = entries.slice().reverse().map(entry => {
      const row = element('tr');
      row.append(
        element('td', null, clock(entry.time / 1000, true)),
        element('td', null, entry.protocol),
        element('td', null, entry.host.includes(':') ? '[' + entry.host + ']:' + entry.port : entry.host + ':' + entry.port),
        element('td', 'n', entry.bytesIn + ' → ' + entry.bytesOut),
        element('td', 'text', visible(entry.request)),
        element('td', 'text', visible(entry.reply)),
        element('td', 'n', millis(entry.replyMicros / 1000)));
      return row;
    });
    document.getElementById('traffic-rows').replaceChildren(...rows);
  }

  function show(snapshot) {
    showNumbers(snapshot);
    showHealth(snapshot.health);
    showNode(snapshot.node);
    showTraffic(snapshot.traffic);
  }

  // ---- the stream ----

  /** The whole history: on the first connection and on every reconnection. */
  function onHistory(history) {
    time.length = 0;
    history.time.forEach(t => time.push(t / 1000));
    values = history.values;
    layout = JSON.stringify(history.series);
    buildLayout(history.series);
    resize();
    redraw();
    if (history.latest) show(history.latest);
  }

  function onSnapshot(snapshot) {
    append(snapshot);
    if (snapshot.series && JSON.stringify(snapshot.series) !== layout) { // a meter came or went
      layout = JSON.stringify(snapshot.series);
      buildLayout(snapshot.series);
      resize();
    }
    redraw();
    show(snapshot);
  }

  function connect() {
    const connection = document.getElementById('connection');
    const events = new EventSource('events');
    events.addEventListener('history', event => onHistory(JSON.parse(event.data)));
    events.addEventListener('snapshot', event => onSnapshot(JSON.parse(event.data)));
    events.onopen = () => { connection.textContent = 'live'; connection.className = 'connection live'; };
    events.onerror = () => { connection.textContent = 'reconnecting…'; connection.className = 'connection lost'; };
  }

  // For tests and the curious: what the charts hold, read-only.
  window.capslockDashboard = Object.freeze({
    /** The latest point the chart of {@code series} holds, or null. */
    latest(series) {
      const chart = charts.find(one => one.names.includes(series));
      if (!chart) return null;
      const points = chart.plot.data[1 + chart.names.indexOf(series)];
      return points.length ? points[points.length - 1] : null;
    },
    /** How many points (not gaps) the chart of {@code series} holds. */
    points(series) {
      const chart = charts.find(one => one.names.includes(series));
      return chart ? chart.plot.data[1 + chart.names.indexOf(series)].filter(v => v != null).length : 0;
    },
  });

  window.addEventListener('resize', resize);
  connect();
})();

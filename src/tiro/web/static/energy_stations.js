// Energy page, stations panel (issue 14): the sample station network on a plain lat/lon
// scatter (no map tiles), good stations highlighted; the finder form over /stations/near;
// the screens' flags on the planted cases; the inspection register's counts.
// Every station figure is the seeded sample and is labelled so.
document.addEventListener('DOMContentLoaded', () => {
  const { api, fmt } = window.tiro;
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  const SAMPLE = '<span class="sample">sample</span>';
  const E = '/api/v1/energy';
  const ROUND = { start: '2026-05-01', end: '2026-05-25' };
  const SCREENS = { collusion: '담합 collusion', edgeworth: 'Edgeworth 주기 cycles (not flagged)', hoarding: '매점매석 hoarding', fake_fuel: '가짜석유 위험 fake-fuel risk' };
  const TYPES = { fake_fuel: '가짜석유 fake fuel', collusion: '담합 collusion', hoarding: '매점매석 hoarding', price_display: '가격표시 price display' };

  async function allStations() {
    const first = await api(`${E}/stations?limit=1000&offset=0`);
    const pages = [];
    for (let off = 1000; off < first.total; off += 1000) pages.push(api(`${E}/stations?limit=1000&offset=${off}`));
    return first.stations.concat(...(await Promise.all(pages)).map((p) => p.stations));
  }

  async function map() {
    const [stations, good] = await Promise.all([
      allStations(),
      api(`${E}/good-stations?start=${ROUND.start}&end=${ROUND.end}&product=gasoline`),
    ]);
    const where = new Map(stations.map((s) => [s.station_id, s]));
    const picked = good.stations.map((g) => where.get(g.station_id)).filter(Boolean);
    Plotly.newPlot('station-map', [
      { type: 'scattergl', mode: 'markers', name: `주유소 stations (${stations.length}, sample)`,
        x: stations.map((s) => s.lon), y: stations.map((s) => s.lat), text: stations.map((s) => s.name),
        marker: { size: 3, color: '#9aa5b1', opacity: 0.6 } },
      { type: 'scattergl', mode: 'markers', name: `착한주유소 good (${picked.length}, sample)`,
        x: picked.map((s) => s.lon), y: picked.map((s) => s.lat), text: picked.map((s) => s.name),
        marker: { size: 7, color: '#d9480f', symbol: 'star' } },
    ], { margin: { t: 10, b: 40, l: 50, r: 10 }, legend: { orientation: 'h' },
      xaxis: { title: 'lon' }, yaxis: { title: 'lat', scaleanchor: 'x', scaleratio: 1.25 } }, { displayModeBar: false });
    $('station-map-note').innerHTML = `${stations.length.toLocaleString('en-US')} stations ${SAMPLE} ·
      착한주유소 ${esc(ROUND.start)}..${esc(ROUND.end)} gasoline: <strong id="good-count">${good.count}</strong> ${SAMPLE}`;
  }

  async function find(ev) {
    if (ev) ev.preventDefault();
    const f = new FormData($('station-finder-form'));
    const q = new URLSearchParams({ lat: f.get('lat'), lon: f.get('lon'), radius_km: f.get('radius_km'), product: f.get('product'), limit: '20' });
    $('station-finder-error').textContent = '';
    try {
      const r = await api(`${E}/stations/near?${q}`);
      $('station-near').querySelector('tbody').innerHTML = r.stations.map((s) => `<tr data-id="${esc(s.id)}">
        <td>${esc(s.id)}</td><td>${esc(s.name)}</td><td class="num">${fmt(s.price, 0)}</td><td class="num">${fmt(s.distance_km, 2)}</td>
        <td>${s.below_regional_average ? '예 yes' : '아니오 no'}</td><td>${SAMPLE}</td></tr>`).join('')
        || `<tr><td colspan="6">반경 안에 주유소 없음 <span class="en">no station within the radius</span> ${SAMPLE}</td></tr>`;
    } catch (e) {
      $('station-near').querySelector('tbody').innerHTML = '';
      $('station-finder-error').textContent = e.message;
    }
  }

  async function screens() {
    const rows = await Promise.all(Object.keys(SCREENS).map((s) => api(`${E}/screens/${s}`)));
    $('station-screens').querySelector('tbody').innerHTML = rows.map((r) => `<tr data-screen="${esc(r.screen)}">
      <td>${esc(SCREENS[r.screen])}</td><td class="num">${r.count}</td><td class="num">${r.stations_flagged}</td><td class="num">${r.planted ?? '—'}</td>
      <td class="num">${r.precision ?? '—'}</td><td class="num">${r.recall ?? '—'}</td>
      <td><small>${esc((r.flags[0] || {}).reason)}</small></td><td>${SAMPLE}</td></tr>`).join('');
  }

  async function cases() {
    const c = await api(`${E}/cases/counts?as_of=2026-05-25`);
    $('station-cases').querySelector('tbody').innerHTML = Object.entries(c.found_by_type).map(([t, n]) =>
      `<tr data-type="${esc(t)}"><td>${esc(TYPES[t] || t)}</td><td class="num">${n}</td></tr>`).join('');
    $('station-cases-note').innerHTML = `등록부 <span class="en">register</span>: 접수 opened <strong>${c.opened}</strong> · 적발 found <strong>${c.found}</strong>
      (as of ${esc(c.as_of)}) · 보고서 <span class="en">report</span>: ${esc(c.published.label)} <strong>${c.published.found}</strong>건 (${esc(c.published.as_of)})`;
  }

  const guard = (f) => f().catch((e) => { $('stations-error').textContent += `${e.message} `; });
  $('station-finder-form').addEventListener('submit', find);
  [map, screens, cases].forEach(guard);
});

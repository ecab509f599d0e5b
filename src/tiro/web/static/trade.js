// Trade dashboard: everything is fetched from /api/v1/trade/* and drawn client side.
(function () {
  const api = (path) => fetch(path).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
  const bn = (v) => (v == null ? "" : (v / 1e9).toFixed(2));
  const plot = (id, traces, layout) => {
    if (window.Plotly) Plotly.newPlot(id, traces, Object.assign({ margin: { t: 30 } }, layout), { displayModeBar: false });
  };

  api("/api/v1/trade/series").then((rows) => {
    const x = rows.map((r) => r.period);
    plot("trade-monthly", [
      { x, y: rows.map((r) => r.value / 1e9), name: "수출 Exports (USD bn)", type: "bar" },
      { x, y: rows.map((r) => r.per_day / 1e9), name: "일평균 Per working day (USD bn)", yaxis: "y2", mode: "lines+markers" },
    ], { yaxis2: { overlaying: "y", side: "right" }, title: "월별 수출 Monthly exports (MOTIE)" });
  });

  api("/api/v1/trade/seasonal").then((out) => {
    const rows = out.rows || [];
    if (!rows.length) return;
    const key = Object.keys(rows[0]).find((k) => /period|month/.test(k));
    const series = Object.keys(rows[0]).filter((k) => k !== key && typeof rows[0][k] === "number");
    plot("trade-seasonal", series.map((k) => ({ x: rows.map((r) => r[key]), y: rows.map((r) => r[k]), name: k, mode: "lines" })),
      { title: "계절조정 Seasonally adjusted (" + out.method + ")" });
  }).catch(() => {});

  Promise.all([
    api("/api/v1/trade/shares?period=2024&by=partner_group&vintage=provisional"),
    api("/api/v1/trade/shares?period=2025&by=partner_group&vintage=provisional"),
  ]).then(([a, b]) => {
    const keys = Object.keys(b.groups);
    plot("trade-partners", [
      { x: keys, y: keys.map((k) => (a.groups[k] || 0) * 100), name: "2024", type: "bar" },
      { x: keys, y: keys.map((k) => b.groups[k] * 100), name: "2025", type: "bar" },
    ], { title: "비중 Share of exports (%)" });
  });

  api("/api/v1/trade/share-change?before=2024&after=2025").then((rows) => {
    const body = document.querySelector("#trade-diversification tbody");
    body.innerHTML = rows.map((r) => `<tr><td>${r.key}</td><td>${(r.share_before * 100).toFixed(1)}%</td>` +
      `<td>${(r.share_after * 100).toFixed(1)}%</td><td>${r.change_pp.toFixed(2)}</td></tr>`).join("");
  });

  api("/api/v1/trade/shares?period=2025&by=product&vintage=provisional").then((out) => {
    const keys = Object.keys(out.groups);
    plot("trade-items", [{ type: "treemap", labels: keys, parents: keys.map(() => ""),
      values: keys.map((k) => out.groups[k] * 100) }], { title: "품목 비중 Item shares (%)" });
  });

  api("/api/v1/trade/balance").then((rows) => {
    document.querySelector("#trade-balance tbody").innerHTML = rows.map((r) =>
      `<tr><td>${r.period}</td><td>${r.basis}</td><td>${bn(r.exports)}</td><td>${bn(r.imports)}</td>` +
      `<td>${bn(r.balance)}</td><td>${bn(r.stated_balance)}</td><td>${r.consistent == null ? "" : r.consistent ? "✔" : "✘"}</td></tr>`).join("");
  });

  api("/api/v1/trade/fdi?period=2025&by=type").then((out) => {
    document.getElementById("trade-fdi").textContent = JSON.stringify(out, null, 2);
  }).catch(() => {});
})();

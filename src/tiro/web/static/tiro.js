// Shared page helpers: the Korean-first language toggle and a JSON fetch that surfaces problems.
document.addEventListener('DOMContentLoaded', () => {
  const toggle = document.getElementById('lang-toggle');
  if (!toggle) return;
  if (localStorage.getItem('tiro-ko-only') === '1') document.body.classList.add('ko-only');
  toggle.addEventListener('click', () => {
    const on = document.body.classList.toggle('ko-only');
    localStorage.setItem('tiro-ko-only', on ? '1' : '0');
  });
});

window.tiro = {
  async api(path, options = {}) {
    const response = await fetch(path, options);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const where = body.field ? `${body.field}: ` : '';
      throw new Error(where + (body.detail || response.statusText));
    }
    return body;
  },
  fmt(n, digits = 1) {
    return n == null ? '—' : Number(n).toLocaleString('ko-KR', { maximumFractionDigits: digits });
  },
};

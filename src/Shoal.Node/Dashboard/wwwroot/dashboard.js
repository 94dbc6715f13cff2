// The node dashboard: polls /api/status once a second, plays the live channel through this node's gateway
// with hls.js (vendored, no download at run time) and charts offload and the player's real buffer.
'use strict';

const $ = (id) => document.getElementById(id);
const history = [];
const historyLength = 180;

function formatBytes(n) {
  if (!Number.isFinite(n)) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

function formatPercent(ratio) {
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(1)} %` : '–';
}

function playerBufferSeconds(video) {
  const t = video.currentTime;
  for (let i = 0; i < video.buffered.length; i++) {
    if (video.buffered.start(i) <= t + 0.1 && t <= video.buffered.end(i)) return video.buffered.end(i) - t;
  }
  return 0;
}

// The channel to play: ?play=<gateway path or URL>, else the first channel the node advertises.
function chosenChannel(status) {
  const asked = new URLSearchParams(location.search).get('play');
  if (asked) return asked;
  const channels = status && Array.isArray(status.channels) ? status.channels : [];
  return channels.length > 0 ? channels[0].gateway_url : null;
}

let playing = null;
let stalls = 0;
function play(url) {
  if (!url || url === playing) return;
  playing = url;
  const video = $('video');
  $('player-state').textContent = `playing ${decodeURIComponent(url)}`;
  video.addEventListener('waiting', () => { if (video.currentTime > 0) stalls++; });
  if (window.Hls && window.Hls.isSupported()) {
    const hls = new window.Hls({ liveSyncDurationCount: 3, enableWorker: false });
    hls.on(window.Hls.Events.ERROR, (_, data) => {
      if (data.fatal) $('player-state').textContent = `player error: ${data.type} ${data.details}`;
    });
    hls.loadSource(url);
    hls.attachMedia(video);
  } else {
    video.src = url; // Browsers with native HLS.
  }
  video.play().catch(() => { /* Autoplay may need a click; the controls are there. */ });
}

function render(status) {
  const totals = status.totals || {};
  $('node-name').textContent = status.node && status.node.name ? `· ${status.node.name}` : '';
  $('offload').textContent = formatPercent(status.offload);
  $('from-peers').textContent = formatBytes(totals.bytes_from_peers);
  $('from-origin').textContent = formatBytes(totals.bytes_from_origin);
  $('uploaded').textContent = formatBytes(totals.bytes_uploaded);
  const video = $('video');
  const buffer = playerBufferSeconds(video);
  $('buffer').textContent = `${buffer.toFixed(1)} s`;
  $('stalls').textContent = `${stalls}`;

  const rows = [];
  for (const swarm of status.swarms || []) {
    const name = swarm.name || (swarm.rid || '').slice(0, 10);
    const neighbours = swarm.neighbours || [];
    if (neighbours.length === 0) rows.push(`<tr><td>${escapeHtml(name)}</td><td colspan="4">no neighbours yet</td></tr>`);
    for (const n of neighbours) {
      rows.push(`<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(n.endpoint || '')}${n.super ? ' (super)' : ''}</td>` +
        `<td>${Number.isFinite(n.rtt_ms) ? n.rtt_ms.toFixed(1) + ' ms' : '–'}</td>` +
        `<td>${formatBytes(n.bytes_from)}</td><td>${formatBytes(n.bytes_to)}</td></tr>`);
    }
  }
  $('neighbours').innerHTML = rows.length > 0 ? rows.join('') : '<tr><td colspan="5">none yet</td></tr>';

  history.push({ offload: Number.isFinite(status.offload) ? status.offload : null, buffer });
  while (history.length > historyLength) history.shift();
  drawChart();
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function drawChart() {
  const canvas = $('chart');
  const ctx = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, pad = 24;
  const style = getComputedStyle(document.documentElement);
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = style.getPropertyValue('--muted');
  ctx.globalAlpha = 0.3;
  for (let i = 0; i <= 4; i++) {
    const y = pad + (h - 2 * pad) * i / 4;
    ctx.beginPath(); ctx.moveTo(pad, y); ctx.lineTo(w - 4, y); ctx.stroke();
  }
  ctx.globalAlpha = 1;
  ctx.fillStyle = style.getPropertyValue('--muted');
  ctx.font = '11px system-ui';
  ctx.fillText('100 % / 20 s', 2, pad - 6);
  ctx.fillText('0', 2, h - pad + 4);
  const x = (i) => pad + (w - pad - 4) * i / (historyLength - 1);
  const line = (value, max, color) => {
    ctx.strokeStyle = color; ctx.lineWidth = 2; ctx.beginPath();
    let started = false;
    history.forEach((p, i) => {
      const v = value(p);
      if (v === null) { started = false; return; }
      const y = h - pad - (h - 2 * pad) * Math.min(v, max) / max;
      if (started) ctx.lineTo(x(i), y); else { ctx.moveTo(x(i), y); started = true; }
    });
    ctx.stroke();
  };
  line((p) => p.offload, 1, style.getPropertyValue('--accent'));
  line((p) => p.buffer, 20, style.getPropertyValue('--warn'));
}

async function poll() {
  try {
    const response = await fetch('/api/status', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const status = await response.json();
    $('connection').textContent = `updated ${new Date().toLocaleTimeString()}`;
    play(chosenChannel(status));
    render(status);
  } catch (error) {
    $('connection').textContent = `node unreachable: ${error.message}`;
  }
}

poll();
setInterval(poll, 1000);

/* global document */ // runs in the browser
// Lists the catalogue from the index (/api/items) and plays an item from the streamer (/stream/:id).
const status = document.getElementById('status');
const list = document.getElementById('items');
const player = document.getElementById('player');

fetch('/api/items')
  .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`index answered ${r.status}`))))
  .then(({ items }) => {
    status.textContent = `${items.length} items`;
    for (const item of items) {
      const li = document.createElement('li');
      li.textContent = `${item.title} (${item.year}, ${Math.round(item.durationSeconds / 60)} min)`;
      const play = document.createElement('button');
      play.textContent = 'Play';
      play.onclick = () => {
        player.hidden = false;
        player.src = `/stream/${encodeURIComponent(item.id)}`;
        player.play().catch(() => undefined);
      };
      li.append(play);
      list.append(li);
    }
  })
  .catch((err) => (status.textContent = `The catalogue is unavailable: ${err.message}`));

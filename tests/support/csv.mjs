// CSV as the exports write it (RFC 4180: quotes, doubled quotes, line breaks inside quotes;
// a byte-order mark first), read back for assertions.

// A whole file into rows of cells; the byte-order mark and the last line break are dropped.
export function csvRows(text) {
  const rows = [];
  let row = [];
  let cur = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cur);
      cur = '';
    } else if (c === '\n' || (c === '\r' && body[i + 1] === '\n')) {
      if (c === '\r') i++;
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
    } else cur += c;
  }
  row.push(cur);
  rows.push(row);
  return rows;
}

// One line into cells.
export const csvCells = (line) => csvRows(line)[0];

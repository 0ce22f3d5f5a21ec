/* The editors' forms (Decap CMS) set up for Merhav: loaded by admin/index.html BEFORE decap-cms.js;
 * its first part, merhavWriter, is also run under node (sitegen/tools/datastyle.js).
 *
 * sitegen/tools/cms.py writes the configuration (admin/config.yml) from the engine's schema; this file
 * makes the CMS read and write the files the way the engine does:
 *   - formats: every file is YAML read and written with js-yaml (YAML 1.1-safe quoting: a text such as
 *     `no` or `2026` stays a text for the engine's PyYAML); a file that is a list at its top level
 *     (data/faculty.yaml…) is shown as one list; a text written once for all languages is shown as
 *     one input per language; empty optional fields are left out; the comments at the top of a file
 *     (its example for editors who edit by hand) are kept;
 *   - every input of a language's text gets that language's dir and lang (Hebrew right-to-left);
 *   - the preview uses the site's stylesheet, in each text's own direction.
 * The settings come from <body data-merhav> (no inline script: the page keeps a Content-Security-Policy).
 */
/* The data files' reader and writer: the same functions read and write a file in the forms (below) and under node
 * (sitegen/tools/datastyle.js: `python -m sitegen.tools.datastyle --write` writes every data file in their style;
 * tests/test_datastyle.py holds every data file to it). `codes`: the site's language codes, the default first. */
function merhavWriter(codes, jsyaml) {
  'use strict';
  // --- values: from a file to the forms, and back ------------------------------------------------------

  function isLocalized(field) {
    if (!field || field.widget !== 'object' && field.widget !== 'list' || !Array.isArray(field.fields)) return false;
    var names = field.fields.map(function (f) { return f.name; });
    return names.length === codes.length && codes.every(function (c) { return names.indexOf(c) >= 0; });
  }

  function isEmpty(value) {
    return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  }

  function spread(text) {
    var out = {};
    codes.forEach(function (c) { out[c] = text; });
    return out;
  }

  function load(value, field) {
    if (field.widget === 'object' && isLocalized(field)) return typeof value === 'string' ? spread(value) : value;
    if (field.widget === 'object' && field.fields && value && typeof value === 'object') return loadAll(value, field.fields);
    if (field.widget === 'list' && Array.isArray(value) && field.fields) {
      return value.map(function (item) {
        if (isLocalized(field)) return typeof item === 'string' ? spread(item) : item;
        return item && typeof item === 'object' ? loadAll(item, field.fields) : item;
      });
    }
    return value;
  }

  function loadAll(data, fields) {
    fields.forEach(function (f) { if (f.name in data) data[f.name] = load(data[f.name], f); });
    return data;
  }

  function localized(value, field) {
    var out = {};
    codes.forEach(function (c) { if (value && !isEmpty(value[c])) out[c] = value[c]; });
    return Object.keys(out).length ? out : undefined;
  }

  function save(value, field) {
    if (isEmpty(value)) return undefined;
    if (field.widget === 'object' && isLocalized(field)) return localized(value, field);
    if (field.widget === 'object' && field.fields) return saveAll(value, field.fields);
    if (field.widget === 'list' && Array.isArray(value)) {
      var items = value.map(function (item) {
        if (isLocalized(field)) return localized(item, field);
        if (field.fields) return item && typeof item === 'object' ? saveAll(item, field.fields) : item;
        return isEmpty(item) ? undefined : item;
      }).filter(function (item) { return item !== undefined; });
      return items.length || field.required !== false ? items : undefined;
    }
    if (field.widget === 'number' && typeof value === 'string') value = parseInt(value, 10);
    if (field.required === false && field['default'] !== undefined && value === field['default']) return undefined;
    return value;
  }

  function saveAll(data, fields) {
    var out = {};
    fields.forEach(function (f) {
      if (!(f.name in data)) return;
      var value = save(data[f.name], f);
      if (value !== undefined) out[f.name] = value;
    });
    Object.keys(data).forEach(function (k) {  // fields the forms do not know are kept as they were
      if (!(k in out) && !fields.some(function (f) { return f.name === k; })) out[k] = data[k];
    });
    return out;
  }

  // --- YAML --------------------------------------------------------------------------------------------

  function parse(text) {
    return jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }) || null;  // dates stay YYYY-MM-DD texts
  }

  function dump(value) {
    // lineWidth -1: no folding; js-yaml quotes what YAML 1.1 would read as a yes/no, a number or a date
    return blocks(jsyaml.dump(value, { lineWidth: -1, noRefs: true }));
  }

  function blocks(text) {
    // A text with quotation marks, a colon or '#', or a long one, as the editors' guide asks: `key: >-` and the
    // text on the next line, indented two more spaces (inside a block every character is kept as it is).
    return text.split('\n').map(function (line) {
      var m = /^(\s*(?:- )?)([A-Za-z0-9_-]+): (.+)$/.exec(line);
      if (!m || /^[|>]/.test(m[3])) return line;
      var value;
      try { value = jsyaml.load('x: ' + m[3], { schema: jsyaml.CORE_SCHEMA }).x; } catch (e) { return line; }
      if (typeof value !== 'string' || /[\n\r]/.test(value) || value !== value.trim() || /^[\w.\/-]*$/.test(value)) return line;
      if (!/["':#]/.test(value) && value.length <= 60) return line;
      return m[1] + m[2] + ': >-\n' + ' '.repeat(m[1].length + 2) + value;
    }).join('\n');
  }

  function header(text) {
    var lines = text.split('\n'), kept = [];
    for (var i = 0; i < lines.length; i++) {
      if (/^\s*(#.*)?$/.test(lines[i])) kept.push(lines[i]); else break;
    }
    while (kept.length && kept[kept.length - 1].trim() === '') kept.pop();
    return kept.length ? kept.join('\n') + '\n\n' : '';
  }

  function listFormat(fields) {
    var top = header('');
    var item = fields[0];
    return {
      fromFile: function (text) {
        top = header(text);
        return { items: load(parse(text) || [], item) };
      },
      toFile: function (data) {
        var items = save(data.items || [], Object.assign({}, item, { required: true }));
        if (!items.length) return top + '[]\n';
        return top + items.map(function (entry) { return dump([entry]); }).join('\n');
      }
    };
  }

  function mappingFormat(fields) {
    var tops = {}, single = '';
    return {
      fromFile: function (text) {
        var data = loadAll(parse(text) || {}, fields);
        if (data.id) tops[data.id] = header(text); else single = header(text);
        return data;
      },
      toFile: function (data) {
        var top = data.id ? tops[data.id] || '' : single;
        return top + dump(saveAll(data, fields));
      }
    };
  }

  function pageFormat(fields) {
    var front = fields.filter(function (f) { return f.name !== 'body' && f.name !== 'address'; });
    return {
      fromFile: function (text) {
        var match = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(text);
        var data = match ? parse(match[1]) || {} : {};
        data = loadAll(data, front);
        data.body = match ? text.slice(match[0].length) : text;
        return data;
      },
      toFile: function (data) {
        var body = data.body || '';
        var rest = Object.assign({}, data);
        delete rest.body;
        delete rest.address;
        var out = '---\n' + dump(saveAll(rest, front)) + '---\n' + body;
        return out.slice(-1) === '\n' ? out : out + '\n';
      }
    };
  }

  function plainFormat() {
    // a file the forms do not edit (the site's settings, the interface texts): read and written as it is, in the same style
    var top = '';
    return {
      fromFile: function (text) { top = header(text); return parse(text); },
      toFile: function (data) { return top + (data === null || data === undefined ? '' : dump(data)); }
    };
  }

  return { listFormat: listFormat, mappingFormat: mappingFormat, pageFormat: pageFormat, plainFormat: plainFormat,
    isLocalized: isLocalized, isEmpty: isEmpty, parse: parse, dump: dump };
}

/* A photo's bytes without what tells where and with which camera it was taken, before the forms upload it (the
 * original is committed to the repository, which is public): JPEG's APP1 segments (Exif: GPS, the camera's serial
 * number, maker notes; XMP), APP13 (IPTC: place names) and comments, and the pictures a phone appends after the
 * picture (a multi-picture file's second image carries its own Exif; APP2 "MPF" points at them); PNG's eXIf, tEXt,
 * zTXt and iTXt chunks; WebP's EXIF and XMP chunks. Nothing else is touched (no re-encoding through a canvas: that would lose quality, the colour
 * profile and the file's own compression, and the engine makes the published variants anyway); the one thing of the
 * Exif a picture needs, its orientation (a phone's portrait photo is stored sideways), is written back as a Exif of its
 * own with that tag alone. Returns the new bytes, or null for a file it does not know (left as it is: `check` warns
 * about a committed original that still has GPS data). */
function merhavCleanPicture(b) {
  'use strict';
  function u16(at, little) { return little ? b[at] | b[at + 1] << 8 : b[at] << 8 | b[at + 1]; }
  function u32(at, little) { return little ? (u16(at + 2, true) * 65536 + u16(at, true)) : (u16(at) * 65536 + u16(at + 2)); }
  function ascii(at, text) { for (var k = 0; k < text.length; k++) if (b[at + k] !== text.charCodeAt(k)) return false; return true; }
  function concat(parts) {
    var size = parts.reduce(function (n, p) { return n + p.length; }, 0), out = new Uint8Array(size), at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }
  function orientationOf(at) {  // at: the APP1 segment's marker; its Exif's IFD0 tag 0x0112, or 0
    if (!ascii(at + 4, 'Exif\0\0')) return 0;
    var tiff = at + 10, little = ascii(tiff, 'II');
    if (!little && !ascii(tiff, 'MM')) return 0;
    var ifd = tiff + u32(tiff + 4, little), count = u16(ifd, little);
    for (var e = 0; e < count; e++) {
      var entry = ifd + 2 + 12 * e;
      if (entry + 12 > b.length) return 0;
      if (u16(entry, little) === 0x0112) return u16(entry + 8, little);
    }
    return 0;
  }
  function orientationSegment(value) {  // FF E1, length 34, "Exif\0\0", big-endian TIFF, IFD0 with one SHORT entry
    return new Uint8Array([0xFF, 0xE1, 0, 34, 0x45, 0x78, 0x69, 0x66, 0, 0, 0x4D, 0x4D, 0, 0x2A, 0, 0, 0, 8,
      0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, value >> 8, value & 0xFF, 0, 0, 0, 0, 0, 0]);
  }
  function jpeg() {
    var kept = [b.subarray(0, 2)], i = 2, orientation = 0, n = b.length;
    while (i + 1 < n) {
      if (b[i] !== 0xFF) return null;
      var marker = b[i + 1];
      if (marker === 0xFF) { i++; continue; }
      if (marker === 0xD9) {  // the end of the picture: what follows (a phone's second picture) is left out
        kept.push(b.subarray(i, i + 2));
        if (orientation > 1) kept.splice(kept[1] && kept[1][1] === 0xE0 ? 2 : 1, 0, orientationSegment(orientation));
        return concat(kept);
      }
      if (marker === 0x01 || marker >= 0xD0 && marker <= 0xD7) { kept.push(b.subarray(i, i + 2)); i += 2; continue; }
      if (i + 4 > n) return null;
      var end = i + 2 + u16(i + 2);
      if (end > n) return null;
      if (marker === 0xE1) orientation = orientation || orientationOf(i);
      else if (!(marker === 0xED || marker === 0xFE || marker === 0xE2 && ascii(i + 4, 'MPF\0'))) kept.push(b.subarray(i, end));
      i = end;
      if (marker === 0xDA) {  // the scan's coded data, up to the next marker (0xFF00 and the restart markers are data)
        var j = i;
        while (j + 1 < n && !(b[j] === 0xFF && b[j + 1] !== 0 && !(b[j + 1] >= 0xD0 && b[j + 1] <= 0xD7))) j++;
        kept.push(b.subarray(i, j));
        i = j;
      }
    }
    return null;
  }
  function png() {
    var kept = [b.subarray(0, 8)], i = 8, dropped = { eXIf: 1, tEXt: 1, zTXt: 1, iTXt: 1 };
    while (i + 12 <= b.length) {
      var end = i + 12 + u32(i), type = String.fromCharCode(b[i + 4], b[i + 5], b[i + 6], b[i + 7]);
      if (end > b.length) return null;
      if (!dropped[type]) kept.push(b.subarray(i, end));
      i = end;
      if (type === 'IEND') return concat(kept);
    }
    return null;
  }
  function webp() {  // RIFF chunks: the EXIF and XMP ones left out, VP8X's flags for them cleared, RIFF's size written again
    var kept = [], i = 12, size = 4;
    while (i + 8 <= b.length) {
      var type = String.fromCharCode(b[i], b[i + 1], b[i + 2], b[i + 3]), length = u32(i + 4, true);
      var end = i + 8 + length + (length & 1);
      if (end > b.length) return null;
      if (type !== 'EXIF' && type !== 'XMP ') {
        var chunk = b.slice(i, end);
        if (type === 'VP8X') chunk[8] &= ~0x0C;  // bit 3: has Exif; bit 2: has XMP
        kept.push(chunk);
        size += chunk.length;
      }
      i = end;
    }
    if (i !== b.length) return null;
    var head = b.slice(0, 12);
    head[4] = size & 0xFF; head[5] = size >> 8 & 0xFF; head[6] = size >> 16 & 0xFF; head[7] = size >>> 24 & 0xFF;
    return concat([head].concat(kept));
  }
  if (b.length > 3 && b[0] === 0xFF && b[1] === 0xD8 && b[2] === 0xFF) return jpeg();
  if (b.length > 8 && ascii(0, '\x89PNG\r\n\x1a\n')) return png();
  if (b.length > 12 && ascii(0, 'RIFF') && ascii(8, 'WEBP')) return webp();
  return null;
}

if (typeof module !== 'undefined' && module.exports) {
  module.exports = merhavWriter;
  module.exports.cleanPicture = merhavCleanPicture;
}

if (typeof document !== 'undefined') (function () {
  'use strict';
  window.CMS_MANUAL_INIT = true;
  var settings = JSON.parse(document.body.getAttribute('data-merhav'));
  var codes = settings.languages.map(function (l) { return l[0]; });
  var dirs = {};
  settings.languages.forEach(function (l) { dirs[l[0]] = l[1]; });
  var writer = merhavWriter(codes, window.jsyaml);
  var says = settings.texts;  // the forms' refusals in the site's default language (sitegen/tools/cms.py FORM_TEXTS)
  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }
  var isLocalized = writer.isLocalized, isEmpty = writer.isEmpty;

  // --- what the forms show instead of starting -------------------------------------------------------------

  function showNotice(kind, missing) {
    // each of the site's languages that has the texts (cms.py NOTICES), the default first, in its own direction
    var main = document.createElement('main');
    main.className = 'merhav-notice';
    main.setAttribute('role', 'alert');
    (settings.notices || []).forEach(function (texts) {
      var section = document.createElement('section');
      section.setAttribute('lang', texts.lang);
      section.setAttribute('dir', texts.dir);
      var heading = document.createElement('h1');
      heading.textContent = texts[kind][0];
      var text = document.createElement('p');
      text.textContent = say(texts[kind][1], { missing: (missing || []).map(function (m) { return texts[m]; }).join(texts.and) });
      if (kind === 'framed') {  // the page's own address, to open it in a tab of its own
        var link = document.createElement('a');
        link.href = location.href;
        link.target = '_blank';
        link.rel = 'noopener';
        link.setAttribute('dir', 'ltr');
        link.textContent = location.href;
        text.appendChild(document.createTextNode(' '));
        text.appendChild(link);
      }
      section.appendChild(heading);
      section.appendChild(text);
      main.appendChild(section);
    });
    document.body.appendChild(main);
  }

  // Inside another site's frame the forms do not start: that site could lead an editor, signed in here, to save what it
  // wants (GitHub Pages sends no header that forbids framing, and a <meta> policy cannot). window.top is readable
  // across origins; a frame that blocks scripts runs none of this, nor Decap.
  if (window.top !== window.self) {
    showNotice('framed');
    return;
  }

  function signInMissing(config) {
    // On the published site, Decap without a repository or a sign-in service would send editors to Netlify's sign-in,
    // which fails: what is missing, for the notice. Where decap-server may run (Decap's own list of local hosts), nothing.
    var local = config.local_backend && typeof config.local_backend === 'object' ? config.local_backend.allowed_hosts || [] : [];
    if (['localhost', '127.0.0.1'].concat(local).indexOf(location.hostname) >= 0) return [];
    var backend = config.backend || {};
    return (backend.repo ? [] : ['repo']).concat(backend.base_url ? [] : ['auth']);
  }

  // --- photos without location, before the upload ----------------------------------------------------------
  // Decap reads the chosen file from its <input type=file> when it changes: the change is held here (capture, on the
  // window: before Decap sees it), the files cleaned (merhavCleanPicture), put back in the input, and the change sent on.

  function cleanFile(file) {
    return file.arrayBuffer().then(function (buffer) {
      var cleaned = merhavCleanPicture(new Uint8Array(buffer));
      return cleaned ? new File([cleaned], file.name, { type: file.type, lastModified: file.lastModified }) : file;
    });
  }

  window.addEventListener('change', function (event) {
    var input = event.target;
    if (!input || input.tagName !== 'INPUT' || input.type !== 'file' || !input.files || !input.files.length) return;
    if (input.merhavCleaned) return;
    event.stopImmediatePropagation();
    Promise.all(Array.prototype.map.call(input.files, cleanFile)).then(function (files) {
      var list = new DataTransfer();
      files.forEach(function (file) { list.items.add(file); });
      input.files = list.files;
      input.merhavCleaned = true;
      try { input.dispatchEvent(new Event('change', { bubbles: true })); } finally { input.merhavCleaned = false; }
    });
  }, true);

  function registerFormats(config) {
    var pages = false;
    config.collections.forEach(function (collection) {
      var entries = collection.files || [collection];
      entries.forEach(function (entry) {
        var format = collection.format || '';
        var extension = (entry.file || '').split('.').pop() || collection.extension || 'yaml';
        if (format === 'merhav-page' && !pages) {
          pages = true;
          CMS.registerCustomFormat(format, 'md', writer.pageFormat(entry.fields));
        } else if (format.indexOf('merhav-list-') === 0) {
          CMS.registerCustomFormat(format, extension, writer.listFormat(entry.fields));
        } else if (format.indexOf('merhav-mapping-') === 0) {
          CMS.registerCustomFormat(format, extension, writer.mappingFormat(entry.fields));
        }
      });
    });
  }


  // --- what check would refuse, refused before saving ----------------------------------------------------
  // A field's own rules (required, pattern, choices) are Decap's; the rules on an entry as a whole come from
  // the configuration (merhav_rules, merhav_unique: sitegen/tools/cms.py model_rules) and are checked here.

  var rulesOf = {};  // "<collection>" or "<collection>/<file>" → { fields, rules }

  function filled(value) {
    if (isEmpty(value)) return false;
    if (Array.isArray(value)) return value.length > 0;
    if (typeof value === 'object') return Object.keys(value).some(function (k) { return filled(value[k]); });
    return true;
  }

  function brokenRules(item, rules, where, out) {
    (rules || []).forEach(function (rule) {
      if (rule.one_of) {
        var touched = rule.one_of.filter(function (g) { return g.some(function (n) { return filled(item[n]); }); });
        var complete = touched.filter(function (g) { return g.every(function (n) { return filled(item[n]); }); });
        if (touched.length !== 1 || complete.length !== 1) out.push(where + rule.message);
      }
      if (rule.needs && filled(item[rule.needs[0]]) && !(item[rule.needs[1]] && codes.every(function (c) {
        var text = item[rule.needs[1]];
        return typeof text === 'string' ? !isEmpty(text) : !isEmpty(text[c]);
      }))) out.push(where + rule.message);
    });
  }

  function problems(data, fields, where, out) {
    fields.forEach(function (f) {
      var value = data ? data[f.name] : undefined;
      if (!f.fields || isLocalized(f)) return;
      if (f.widget === 'object' && value && typeof value === 'object') {
        brokenRules(value, f.merhav_rules, where, out);
        problems(value, f.fields, where, out);
      } else if (f.widget === 'list' && Array.isArray(value)) {
        var seen = {};
        value.forEach(function (item, i) {
          if (!item || typeof item !== 'object') return;
          var here = where + f.label.split(' · ')[0] + ' ' + (item.id || item.slug || '#' + (i + 1)) + ': ';
          brokenRules(item, f.merhav_rules, here, out);
          (f.merhav_unique || []).forEach(function (key) {
            if (isEmpty(item[key])) return;
            if (seen[key + ' ' + item[key]]) out.push(here + say(says.twice, { key: labelOf(f.fields, key), value: item[key] }));
            seen[key + ' ' + item[key]] = true;
          });
          problems(item, f.fields, here, out);
        });
      }
    });
  }

  function merged(base, more) {
    var out = Object.assign({}, base);
    Object.keys(more).forEach(function (k) {
      out[k] = more[k] && typeof more[k] === 'object' && base && typeof base[k] === 'object' ? merged(base[k], more[k]) : more[k];
    });
    return out;
  }

  function labelOf(fields, name) {
    var found = (fields || []).filter(function (f) { return f.name === name; })[0];
    return found ? found.label.split(' · ')[0] : name;
  }

  // --- ids and addresses made from the English name or title, when the editor leaves them empty ----------

  function slugOf(text) {
    return String(text || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  }

  function englishOf(value, entry, name) {
    if (value && typeof value === 'object') return value.en || '';
    var other = entry && entry.getIn(['i18n', 'en', 'data', name]);  // a page: its English side
    return other || (typeof value === 'string' ? value : '');
  }

  function fillIds(data, fields, entry, path, out) {
    // [path, id] of every id or address left empty whose English name or title is there
    (fields || []).forEach(function (f) {
      var value = data[f.name];
      if (f.merhav_from && isEmpty(value)) {
        var made = slugOf(englishOf(data[f.merhav_from], entry, f.merhav_from));
        if (made) out.push([path.concat([f.name]), made]);
      }
      if (f.fields && Array.isArray(value)) {
        value.forEach(function (item, i) { if (item && typeof item === 'object') fillIds(item, f.fields, null, path.concat([f.name, i]), out); });
      } else if (f.fields && value && typeof value === 'object') {
        fillIds(value, f.fields, null, path.concat([f.name]), out);
      }
    });
    return out;
  }

  // A new page's address, suggested from its English title as it is typed (the address is required: Decap names the
  // file from it before saving), until the editor writes an address of their own.
  var suggested = '';
  window.addEventListener('input', function (event) {
    var title = event.target;
    if (!title || !/^title-field-/.test(title.id || '') || !/\/new(\?|$)/.test(location.hash)) return;
    var side = title.closest('[lang]');
    if (!side || side.getAttribute('lang') !== 'en') return;
    var address = document.querySelector('[id^="address-field-"]');
    if (!address || address.value !== suggested && address.value !== '') return;
    suggested = slugOf(title.value);
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(address, suggested);
    address.dispatchEvent(new Event('input', { bubbles: true }));
  });
  window.addEventListener('hashchange', function () { suggested = ''; });

  function makeIds(args) {
    var entry = args.entry;
    var known = rulesOf[entry.get('collection') + '/' + entry.get('slug')] || rulesOf[entry.get('collection')];
    var data = entry.get('data');
    if (!known || !data || !data.setIn) return undefined;
    var made = fillIds(data.toJS(), known.fields, entry, [], []);
    if (!made.length) return undefined;
    made.forEach(function (pair) { data = data.setIn(pair[0], pair[1]); });
    return data;
  }

  function keepRules(config) {
    // Decap checks its configuration against a schema: the keys it does not know are taken out of it here.
    config.collections.forEach(function (collection) {
      (collection.files || [collection]).forEach(function (entry) {
        var key = collection.files ? collection.name + '/' + entry.name : collection.name;
        rulesOf[key] = { fields: JSON.parse(JSON.stringify(entry.fields)), rules: entry.merhav_rules,
          i18n: collection.i18n ? config.i18n : null };
        delete entry.merhav_rules;
        stripKeys(entry.fields);
      });
    });
    function stripKeys(fields) {
      (fields || []).forEach(function (f) {
        delete f.merhav_rules;
        delete f.merhav_unique;
        delete f.merhav_from;
        delete f.merhav_suggest;
        delete f.merhav_new_page;
        stripKeys(f.fields);
        if (f.field) stripKeys([f.field]);
      });
    }
  }

  function refuseWhatCheckWould(args) {
    var entry = args.entry;
    var collection = entry.get('collection');
    var known = rulesOf[collection + '/' + entry.get('slug')] || rulesOf[collection];
    if (!known) return undefined;
    var data = entry.get('data');
    data = data && data.toJS ? data.toJS() : data || {};
    var out = [];
    if (entry.get('newRecord')) {  // a field required of a new entry only (a new page's address)
      known.fields.forEach(function (f) {
        if (f.merhav_new_page && isEmpty(data[f.name])) out.push(say(says.fill, { field: "'" + f.label.split(' · ')[0] + "'" }));
      });
    }
    brokenRules(data, known.rules, '', out);
    problems(data, known.fields, '', out);
    if (known.i18n) {  // Decap checks the required fields of the first language only
      known.i18n.locales.filter(function (code) { return code !== known.i18n.default_locale; }).forEach(function (code) {
        var version = entry.getIn(['i18n', code, 'data']);
        // Decap writes a language's file whenever the entry holds data for it (a new page's defaults, or a field
        // touched on that side), and checks the first language's required fields only
        if (!version) return;
        version = version.toJS ? version.toJS() : version;
        var missing = known.fields.filter(function (f) { return f.required && f.i18n !== 'duplicate' && !filled(version[f.name]); });
        if (missing.length) {
          out.push(say(says.version, { lang: says.languages[code] || code, fields: missing.map(function (f) {
            return "'" + f.label.split(' · ')[0] + "'"; }).join(says.and) }));
        }
      });
    }
    if (!out.length) return undefined;
    var refusal = new Error(out.join('; '));
    refusal.name = REFUSED;  // Decap shows "Failed to persist entry: <name>: <message>" and keeps the form as it was
    throw refusal;
  }

  var REFUSED = says.refused;

  window.addEventListener('unhandledrejection', function (event) {
    // Decap rejects the save it reported in its notice; a save this file refused is not an error of the page
    var reason = event.reason;
    if (reason && reason.type === 'ENTRY_PERSIST_FAILURE' && reason.payload &&
        String(reason.payload.error).indexOf(REFUSED + ':') === 0) event.preventDefault();
  });

  // --- each language's inputs in its own direction -----------------------------------------------------

  function directions(root) {
    codes.forEach(function (code) {
      var found = root.querySelectorAll('[id^="' + code + '-field-"]');
      for (var i = 0; i < found.length; i++) mark(found[i], code);
    });
    // a page's languages side by side (Decap's i18n): each side in its language's direction, Markdown editor included;
    // its first dropdown says which language it writes ("Writing in HE")
    var rows = root.querySelectorAll('[class*="-LocaleRowWrapper"]');
    for (var j = 0; j < rows.length; j++) {
      var button = rows[j].querySelector('[class*="-LocaleButton"]');
      var code = button && (/([A-Za-z]{2,3})\s*$/.exec(button.textContent) || [])[1];
      if (code && dirs[code.toLowerCase()] && rows[j].parentNode) mark(rows[j].parentNode, code.toLowerCase());
    }
  }

  function mark(element, code) {
    if (element.getAttribute('dir') !== dirs[code]) {
      element.setAttribute('dir', dirs[code]);
      element.setAttribute('lang', code);
    }
  }

  // --- the preview -------------------------------------------------------------------------------------

  function previews() {
    var h = window.h;
    settings.styles.forEach(function (href) { CMS.registerPreviewStyle(href); });
    var Page = window.createClass({
      render: function () {
        var entry = this.props.entry;
        return h('main', { id: 'main', dir: 'auto' },
          h('header', { className: 'page-header' }, h('div', { className: 'wrap' }, h('h1', {}, entry.getIn(['data', 'title']) || ''))),
          h('div', { className: 'wrap prose' }, this.props.widgetFor('body')));
      }
    });
    var Quotes = window.createClass({
      render: function () {
        var data = this.props.entry.get('data');
        data = data && data.toJS ? data.toJS() : {};
        var items = Array.isArray(data.items) ? data.items : [data];  // a quote (data/testimonials/<id>.yaml)
        var text = function (value, code) { return value && typeof value === 'object' ? value[code] || '' : value || ''; };
        return h('main', { id: 'main' }, h('div', { className: 'wrap quotes-list' }, items.map(function (item, i) {
          return codes.map(function (code) {
            return h('figure', { className: 'quote', key: i + code, lang: code, dir: dirs[code] },
              h('blockquote', {}, h('p', {}, text(item.quote, code))),
              h('figcaption', {},
                h('bdi', { className: 'quote-name' }, text(item.name, code)), ' ',
                h('span', { className: 'quote-role' }, item.caption ? text(item.caption, code)
                  : text(item.role, code) + ', ' + text(item.organisation, code))));
          });
        })));
      }
    });
    var Cohorts = window.createClass({
      // a cohort (data/cohorts/<id>.yaml): its name and its projects' cards, per language
      render: function () {
        var data = this.props.entry.get('data');
        data = data && data.toJS ? data.toJS() : {};
        var cohorts = Array.isArray(data.items) ? data.items : [data];
        var text = function (value, code) { return value && typeof value === 'object' ? value[code] || '' : value || ''; };
        return h('main', { id: 'main' }, cohorts.map(function (cohort, i) {
          return codes.map(function (code) {
            return h('section', { className: 'section', key: i + code, lang: code, dir: dirs[code] }, h('div', { className: 'wrap' },
              h('h2', {}, text(cohort.name, code)),
              cohort.summary ? h('p', { className: 'lead' }, text(cohort.summary, code)) : null,
              h('ul', { className: 'cards project-cards' }, (cohort.projects || []).map(function (project, j) {
                return h('li', { className: 'card project-card', key: j },
                  h('p', { className: 'card-meta' }, h('span', { className: 'status status-' + (project.status || '') }, project.status || ''),
                    ' ', h('time', {}, String(project.date || ''))),
                  h('h3', { className: 'card-title' }, text(project.title, code)),
                  h('p', {}, text(project.summary, code)));
              }))));
          });
        }));
      }
    });
    return { Page: Page, Quotes: Quotes, Cohorts: Cohorts };
  }

  // --- what check would refuse across files, refused before saving -------------------------------------------
  // A form sees one entry; the build writes <admin>/checks.json (sitegen/tools/formchecks.py): the ids, project
  // addresses and page files that exist, with where they are, the names kept for the build, and check's own
  // messages for these rules in the site's languages. Refused here with check's words: a project's address used
  // in another cohort, the id of a new cohort or quote already taken, a new page's address taken or kept, a link
  // in a page's text to a page that does not exist.

  var otherFiles = null;  // a promise of checks.json (null on a site without it: nothing refused here)
  var foldersOf = {};     // collection → its folder (data/cohorts, content, content/x)

  function loadOtherFiles(config) {
    config.collections.forEach(function (c) { if (c.folder) foldersOf[c.name] = c.folder; });
    otherFiles = fetch(settings.config.replace(/config\.yml$/, 'checks.json'), { cache: 'no-cache' })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .catch(function () { return null; });
  }

  function normalized(path) {
    var out = [];
    path.split('/').forEach(function (part) {
      if (part === '' || part === '.') return;
      if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop(); else out.push(part);
    });
    return out.join('/');
  }

  function brokenLinks(body, folder, code, checks, told) {
    // model/markup.py: a link whose address ends in .md (no scheme, not /… or #…) is a page's file, relative to this one
    var link = /(!?)\[[^\]\n]*\]\(\s*<?([^()\s<>]+)>?/g, found;
    body = String(body || '');
    while ((found = link.exec(body))) {
      var href = found[2];
      if (found.index > 0 && body.charAt(found.index - 1) === '\\') continue;  // \[…]: brackets, not a link
      if (found[1] || /^[a-z][a-z0-9+.-]*:/i.test(href) || /^[\/#]/.test(href)) continue;
      var path = href.split('#')[0].split('?')[0];
      if (!/\.md$/.test(path)) continue;
      var target = normalized((folder ? folder + '/' : '') + path);
      if (target === '..' || target.indexOf('../') === 0) told('link_out', { href: href });
      else if (checks.pages.indexOf('content/' + target) < 0) told('link_nowhere', { path: 'content/' + target, lang: code });
    }
  }

  function refuseWhatOtherFilesSay(args) {
    if (!otherFiles) return undefined;
    var entry = args.entry;
    return otherFiles.then(function (checks) {
      if (!checks) return undefined;
      var collection = entry.get('collection'), folder = foldersOf[collection];
      var isNew = !!entry.get('newRecord');
      var data = entry.get('data');
      data = data && data.toJS ? data.toJS() : data || {};
      var out = [];
      function told(name, values) { out.push(say(checks.messages[name][codes[0]] || checks.messages[name].en, values)); }
      function where(place) { return place.path + ':' + place.line; }
      if (folder && folder.indexOf('data/') === 0) {
        var path = folder + '/' + (isNew ? data.id : entry.get('slug')) + '.yaml';
        var ids = collection === 'cohorts' ? checks.cohorts : collection === 'testimonials' ? checks.testimonials : null;
        if (isNew && ids && data.id && ids[data.id]) told(collection === 'cohorts' ? 'cohort_twice' : 'testimonial_twice',
          { id: data.id, where: where(ids[data.id]) });
        (collection === 'cohorts' && Array.isArray(data.projects) ? data.projects : []).forEach(function (project) {
          var other = project && project.slug && checks.slugs[project.slug];
          if (other && other.path !== path) told('slug_elsewhere', { slug: project.slug, where: where(other), other_cohort: other.cohort });
        });
      } else if (folder && (folder === 'content' || folder.indexOf('content/') === 0)) {
        var inner = folder.replace(/^content\/?/, '');
        if (isNew && data.address) {
          var key = (inner ? inner + '/' : '') + data.address, first = key.split('/')[0];
          if (!inner && checks.prefixes[first]) told('language', { first: first, code: checks.prefixes[first] });
          else if (key === '404') told('not_found', {});
          else if (!inner && checks.reserved[first]) told('reserved', { first: first, what: checks.reserved[first][codes[0]] });
          else if (codes.some(function (c) {
            return checks.pages.indexOf('content/' + key + '.' + c + '.md') >= 0 || checks.pages.indexOf('content/' + key + '/index.' + c + '.md') >= 0;
          })) told('address_taken', { address: data.address });
        }
        codes.forEach(function (code, i) {
          var version = i === 0 ? data : entry.getIn(['i18n', code, 'data']);
          version = version && version.toJS ? version.toJS() : version;
          if (version) brokenLinks(version.body, inner, code, checks, told);
        });
      }
      if (!out.length) return undefined;
      var refusal = new Error(out.join('; '));
      refusal.name = REFUSED;  // as refuseWhatCheckWould: Decap shows it and keeps the form as it was
      throw refusal;
    });
  }

  // --- the content's current problems, above the forms (the preview only) ---------------------------------
  // `python build.py serve` answers /_preview/problems.json (sitegen/preview/serve.py): the problems of its last build,
  // each in the site's languages. Asked only when the page carries the preview's reload script (sitegen/preview/
  // reload.py, which the preview adds to every page): the published site is never asked, and nothing is shown there.

  function problemsBanner() {
    if (!document.querySelector('script[src="/_preview/reload.js"]')) return;
    var address = '/_preview/problems.json';
    var banner = null, shown = '';

    function render(report) {
      var key = JSON.stringify(report.problems);
      if (key === shown) return;
      shown = key;
      if (banner) { banner.parentNode.removeChild(banner); banner = null; }
      if (!report.problems.length) return;
      var first = report.languages[0], texts = report.texts[first];
      banner = document.createElement('section');
      banner.className = 'merhav-problems';
      banner.setAttribute('role', 'alert');
      banner.setAttribute('lang', first);
      banner.setAttribute('dir', dirs[first] || 'ltr');
      var title = document.createElement('h2');
      title.textContent = texts.title;
      var intro = document.createElement('p');
      intro.textContent = texts.intro;
      var list = document.createElement('ol');
      report.problems.forEach(function (problem) {
        var item = document.createElement('li');
        var where = document.createElement('bdi');
        where.setAttribute('dir', 'ltr');
        where.className = 'where';
        where.textContent = problem.path;
        item.appendChild(where);
        if (problem.line) item.appendChild(document.createTextNode(' · ' + texts.line + ' ' + problem.line));
        report.languages.forEach(function (code) {  // the site's language first, then the others (English beside)
          var said = document.createElement('p');
          said.className = code === first ? 'what' : 'what other';
          said.setAttribute('lang', code);
          said.setAttribute('dir', dirs[code] || 'ltr');
          said.textContent = problem.message[code];
          item.appendChild(said);
        });
        list.appendChild(item);
      });
      banner.appendChild(title);
      banner.appendChild(intro);
      banner.appendChild(list);
      document.body.appendChild(banner);
    }

    function ask() {
      fetch(address, { cache: 'no-store' }).then(function (answer) {
        if (!answer.ok) return null;  // a preview of an older engine: nothing to show
        return answer.json().then(function (report) {
          render(report);
          window.setTimeout(ask, 2000);  // a save rebuilds the preview: its problems change
        });
      }).catch(function () { window.setTimeout(ask, 5000); });
    }
    ask();
  }

  document.addEventListener('DOMContentLoaded', problemsBanner);
  document.addEventListener('DOMContentLoaded', function () {
    new MutationObserver(function () { directions(document); }).observe(document.body, { childList: true, subtree: true });
    fetch(settings.config, { cache: 'no-cache' }).then(function (r) { return r.text(); }).then(function (text) {
      var config = jsyaml.load(text);
      var missing = signInMissing(config);
      if (missing.length) {
        showNotice('no_signin', missing);
        return;
      }
      loadOtherFiles(config);
      keepRules(config);
      registerFormats(config);
      CMS.registerEventListener({ name: 'preSave', handler: makeIds });
      CMS.registerEventListener({ name: 'preSave', handler: refuseWhatCheckWould });
      CMS.registerEventListener({ name: 'preSave', handler: refuseWhatOtherFilesSay });
      var templates = previews();
      config.collections.forEach(function (c) {
        if (c.format === 'merhav-page') CMS.registerPreviewTemplate(c.name, templates.Page);
      });
      CMS.registerPreviewTemplate('testimonials', templates.Quotes);
      CMS.registerPreviewTemplate('cohorts', templates.Cohorts);
      config.load_config_file = false;
      if (says.decap && CMS.getLocale && CMS.getLocale(config.locale)) {  // Decap's words its translation lacks
        CMS.registerLocale(config.locale, merged(CMS.getLocale(config.locale), says.decap));
      }
      CMS.init({ config: config });
    });
  });
}());

// The bedside page of nmscds (interfaces.md §8.12, doc/web.md): a form for one case (interfaces.md §2), sent to
// POST /api/assess, and the report (§5) shown in the order of the text report (§6). Plain JavaScript, no library,
// nothing fetched but this server's own routes, nothing stored in the browser.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);

  // ---- Vocabulary of the case format (interfaces.md §2) ---------------------------------------------------------

  const BOOL_FINDING = [['', 'not assessed'], ['true', 'present'], ['false', 'absent']];
  const BOOL_CONTEXT = [['', 'not known'], ['true', 'yes'], ['false', 'no']];

  // Units as UCUM codes (the values sent) with the way a clinician writes them.
  const UNIT_LABELS = {
    'Cel': '°C', '[degF]': '°F', '/min': '/min', '{beats}/min': 'beats/min', '{breaths}/min': 'breaths/min',
    'mm[Hg]': 'mmHg', 'U/L': 'U/L', '[IU]/L': 'IU/L', 'ukat/L': 'µkat/L', 'mg/dL': 'mg/dL', 'umol/L': 'µmol/L',
    '10*9/L': '×10⁹/L', '10*3/uL': '×10³/µL', '/uL': '/µL', '{cells}/uL': 'cells/µL', '/mm3': '/mm³',
    '{cells}/mm3': 'cells/mm³', 'mmol/L': 'mmol/L', 'meq/L': 'mEq/L', 'ng/mL': 'ng/mL', 'ug/L': 'µg/L',
    '{INR}': 'INR', '{ratio}': 'ratio', '1': 'no unit', '{score}': 'points', 'kg': 'kg', 'g': 'g',
    '[lb_av]': 'lb', 'cm': 'cm', 'm': 'm', '[in_i]': 'in',
  };
  const COUNT_UNITS = ['10*9/L', '10*3/uL', '/uL', '{cells}/uL', '/mm3', '{cells}/mm3'];
  const ENZYME_UNITS = ['U/L', '[IU]/L', 'ukat/L'];
  // Observation kinds with their accepted units (interfaces.md §2.3), in the order of the "add" list.
  const KINDS = [
    ['temperature', 'Temperature', ['Cel', '[degF]']],
    ['heart_rate', 'Heart rate', ['/min', '{beats}/min']],
    ['systolic_bp', 'Systolic blood pressure', ['mm[Hg]']],
    ['diastolic_bp', 'Diastolic blood pressure', ['mm[Hg]']],
    ['respiratory_rate', 'Respiratory rate', ['/min', '{breaths}/min']],
    ['gcs', 'Glasgow Coma Scale', ['{score}', '1']],
    ['ck', 'CK (creatine kinase)', ENZYME_UNITS],
    ['anc', 'ANC (absolute neutrophil count)', COUNT_UNITS],
    ['wbc', 'White cell count', COUNT_UNITS],
    ['alt', 'ALT', ENZYME_UNITS],
    ['ast', 'AST', ENZYME_UNITS],
    ['bilirubin_total', 'Total bilirubin', ['mg/dL', 'umol/L']],
    ['alkaline_phosphatase', 'Alkaline phosphatase', ENZYME_UNITS],
    ['creatinine', 'Creatinine', ['mg/dL', 'umol/L']],
    ['potassium', 'Potassium', ['mmol/L', 'meq/L']],
    ['myoglobin', 'Myoglobin', ['ng/mL', 'ug/L']],
    ['platelets', 'Platelets', COUNT_UNITS],
    ['monocytes', 'Monocytes', COUNT_UNITS],
    ['inr', 'INR', ['{INR}', '{ratio}', '1']],
    ['glucose', 'Glucose', ['mg/dL', 'mmol/L']],
  ];
  const KIND = Object.fromEntries(KINDS.map(([id, label, units]) => [id, { label, units }]));
  const TEMPERATURE_ROUTES = ['oral', 'rectal', 'axillary', 'tympanic', 'temporal', 'core', 'bladder', 'esophageal',
    'unknown'];
  const MED_ROUTES = ['oral', 'enteral_tube', 'iv', 'im', 'sc', 'transdermal', 'rectal', 'inhaled', 'sublingual',
    'intranasal', 'intrathecal', 'topical', 'other', 'unknown'];
  const MED_STATUSES = ['active', 'on_hold', 'stopped', 'completed', 'planned', 'not_taken', 'entered_in_error',
    'unknown'];
  const words = (code) => code.replace(/_/g, ' ');

  // Single fields: `path` is the case member (a JSON pointer), which is also where the server's errors point.
  // type: text | int | number | date | datetime | enum | bool (options: [value, label]; '' = not sent).
  const PATIENT_FIELDS = [
    { path: '/patient/id', label: 'Patient id (letters, digits, - and .)', type: 'text', required: true },
    { path: '/assessed_at', label: 'Assessment time (T0)', type: 'datetime', required: true, now: true },
    { path: '/patient/age_years', label: 'Age (years)', type: 'int' },
    { path: '/patient/birth_date', label: 'Date of birth', type: 'date' },
    { path: '/patient/sex', label: 'Sex', type: 'enum',
      options: [['', 'not recorded'], ['female', 'female'], ['male', 'male'], ['other', 'other'], ['unknown', 'unknown']] },
    { path: '/patient/weight/value', label: 'Weight', type: 'number', quantity: 'weight' },
    { path: '/patient/weight/unit', label: 'Weight unit', type: 'enum', options: [['kg', 'kg'], ['g', 'g'], ['[lb_av]', 'lb']],
      partOf: 'weight' },
    { path: '/patient/weight/measured_at', label: 'Weight measured at (empty: current)', type: 'datetime', partOf: 'weight' },
    { path: '/patient/height/value', label: 'Height', type: 'number', quantity: 'height' },
    { path: '/patient/height/unit', label: 'Height unit', type: 'enum', options: [['cm', 'cm'], ['m', 'm'], ['[in_i]', 'in']],
      partOf: 'height' },
    { path: '/patient/height/measured_at', label: 'Height measured at', type: 'datetime', partOf: 'height' },
    { path: '/episode_onset', label: 'Episode onset (estimate)', type: 'datetime' },
    { path: '/clinician_suspected_nms', label: 'The treating clinician suspects NMS', type: 'enum',
      options: [['', 'not stated'], ['true', 'yes'], ['false', 'no']], bool: true },
  ];

  const finding = (name, label, options) => ({ path: '/findings/' + name, label, type: options ? 'enum' : 'bool',
    options: options || BOOL_FINDING });
  const FINDING_GROUPS = [
    ['NMS features', [
      { path: '/findings/assessed_at', label: 'Examined at (empty: at the assessment time)', type: 'datetime' },
      finding('rigidity', 'Generalised (lead-pipe) rigidity', [['', 'not assessed'], ['none', 'none (examined)'],
        ['mild', 'mild'], ['moderate', 'moderate'], ['severe', 'severe'], ['present_ungraded', 'present, grade not recorded']]),
      finding('rigidity_refractory', 'Rigidity persists despite supportive care and benzodiazepines (not assessed counts as no)'),
      finding('mental_status', 'Mental status (worst at the examination)', [['', 'not assessed'], ['normal', 'normal'],
        ['confused', 'confused'], ['delirious', 'delirious'], ['catatonic', 'catatonic'], ['stupor', 'stupor'], ['coma', 'coma']]),
      finding('diaphoresis', 'Diaphoresis'),
      finding('urinary_incontinence', 'Urinary incontinence'),
      finding('autonomic_instability', 'Autonomic instability (clinical judgement)'),
      finding('tremor', 'Tremor'),
      finding('catatonia', 'Catatonic signs'),
      finding('catatonia_persistent', 'Catatonia persisting or despite lorazepam'),
      finding('mutism', 'Mutism'),
      finding('dysphagia', 'Dysphagia'),
      finding('sialorrhea', 'Sialorrhoea'),
    ]],
    ['Serotonin syndrome (Hunter criteria)', [
      finding('spontaneous_clonus', 'Spontaneous clonus'),
      finding('inducible_clonus', 'Inducible clonus'),
      finding('ocular_clonus', 'Ocular clonus'),
      finding('hyperreflexia', 'Hyperreflexia'),
      finding('hypertonia', 'Hypertonia (increased tone)'),
      finding('agitation', 'Agitation'),
      finding('mydriasis', 'Mydriasis'),
    ]],
    ['Other conditions to exclude', [
      finding('dry_skin', 'Dry skin'),
      finding('urinary_retention', 'Urinary retention'),
      finding('bowel_sounds', 'Bowel sounds', [['', 'not assessed'], ['normal', 'normal'], ['hyperactive', 'hyperactive'],
        ['decreased', 'decreased'], ['absent', 'absent']]),
      finding('hyporeflexia', 'Hyporeflexia'),
      finding('neck_stiffness', 'Neck stiffness'),
      finding('headache', 'Headache'),
      finding('active_psychosis', 'Active psychosis'),
      finding('hypercarbia', 'Hypercarbia (rising CO₂)'),
      finding('masseter_rigidity', 'Masseter rigidity (trismus)'),
    ]],
  ];

  const ctx = (name, label, options) => ({ path: '/context/' + name, label, type: options ? 'enum' : 'bool',
    options: options || BOOL_CONTEXT });
  const ctxTime = (name, label) => ({ path: '/context/' + name, label, type: 'datetime' });
  const CONTEXT_GROUPS = [
    ['Access, setting and history', [
      ctx('iv_access', 'Best venous access now', [['', 'not known'], ['central', 'central line'],
        ['large_bore_peripheral', 'large-bore peripheral'], ['peripheral', 'peripheral'], ['poor', 'poor'], ['none', 'none']]),
      ctx('central_line', 'Central venous catheter in place'),
      ctx('location', 'Cared for in', [['', 'not known'], ['icu', 'ICU'], ['other', 'other ward']]),
      ctx('enteral_route_available', 'Oral or tube route usable'),
      ctx('liver_disease', 'Known liver disease (hepatitis, cirrhosis, failure)'),
      ctx('dialysis', 'On dialysis'),
      ctx('copd', 'COPD'),
      ctx('penicillin_allergy', 'Penicillin allergy', [['', 'not known'], ['none', 'none'], ['non_severe', 'non-severe'],
        ['severe', 'severe (immediate type, anaphylaxis)']]),
      ctx('history_of_nms', 'Earlier NMS episode'),
      ctx('heat_exposure', 'Recent heat exposure or exertion in heat'),
      ctx('workup_negative_for_other_causes', 'Infectious, toxic, metabolic and neurological causes excluded'),
      ctx('ect_in_progress', 'ECT course under way'),
    ]],
    ['Oncology and febrile neutropenia', [
      ctx('malignancy', 'Malignancy', [['', 'not known'], ['hematologic', 'haematological'], ['solid', 'solid tumour'],
        ['none', 'none']]),
      ctx('recent_chemotherapy', 'Cytotoxic chemotherapy in the last 6 weeks'),
      ctxTime('last_chemotherapy_at', 'Last cytotoxic chemotherapy'),
      ctx('anc_expected_to_fall', 'ANC expected to fall below 0.5 ×10⁹/L within 48 h'),
      { path: '/context/expected_neutropenia_days', label: 'Expected duration of neutropenia (days)', type: 'number' },
      ctx('uncontrolled_primary_disease', 'Primary disease uncontrolled'),
      ctx('hospitalized_at_fever_onset', 'In hospital when the fever began'),
      ctx('outpatient_at_fever_onset', 'Outpatient when the fever began'),
      ctxTime('fever_onset_at', 'Fever began at'),
      ctx('burden_of_illness', 'Burden of illness (MASCC)', [['', 'not known'], ['none_mild', 'none or mild'],
        ['moderate', 'moderate'], ['severe', 'severe']]),
      ctx('dehydration_requiring_iv_fluids', 'Dehydration requiring IV fluids'),
    ]],
    ['Infection', [
      ctxTime('antibiotics_started_at', 'Empirical antibiotics started at'),
      ctx('sepsis', 'Sepsis syndrome'),
      ctx('hemodynamically_unstable', 'Haemodynamically unstable'),
      ctx('pneumonia', 'Radiographic pneumonia'),
      ctx('skin_soft_tissue_infection', 'Skin or soft-tissue infection'),
      ctx('suspected_catheter_infection', 'Suspected catheter-related infection'),
      ctx('gram_positive_bacteremia', 'Gram-positive bacteria in blood culture'),
      ctx('mrsa_colonized', 'MRSA colonisation'),
      ctx('vre_colonized', 'VRE colonisation'),
      ctx('prsp_colonized', 'Penicillin-resistant S. pneumoniae colonisation'),
      ctx('severe_mucositis', 'Severe mucositis'),
      ctx('fluoroquinolone_prophylaxis', 'Fluoroquinolone prophylaxis before the fever'),
      ctx('ceftazidime_empiric', 'Ceftazidime is the empirical agent'),
      ctx('invasive_fungal_infection', 'Invasive fungal infection now'),
      ctx('previous_fungal_infection', 'Earlier fungal infection'),
    ]],
    ['Anaesthesia (malignant hyperthermia)', [
      { path: '/context/anesthesia/volatile_agent', label: 'Volatile anaesthetic given', type: 'bool', options: BOOL_CONTEXT },
      { path: '/context/anesthesia/succinylcholine', label: 'Succinylcholine given', type: 'bool', options: BOOL_CONTEXT },
      { path: '/context/anesthesia/at', label: 'Anaesthesia at', type: 'datetime' },
    ]],
  ];
  const SINGLE_FIELDS = PATIENT_FIELDS.concat(...FINDING_GROUPS.map((g) => g[1]), ...CONTEXT_GROUPS.map((g) => g[1]));

  // ---- State --------------------------------------------------------------------------------------------------

  let drugCatalogue = null;   // GET /api/kb/drugs
  let loadedBundle = null;    // {text, origin}: a FHIR Bundle the form cannot hold is assessed as it is (doc/web.md)
  let authDisabled = false;   // the server runs with --allow-unauthenticated (GET /healthz)
  let lastReportJson = null;  // the report of the result on screen
  let rowCounter = 0;         // unique ids for generated rows
  let requestCounter = 0;     // a newer request makes the answer of an older one obsolete

  // ---- Small DOM helpers --------------------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function fieldId(path) { return 'fld' + path.replace(/[^A-Za-z0-9]+/g, '-'); }

  function optionsOf(options) {
    return options.map(([value, label]) => el('option', { value, text: label }));
  }

  // A labelled control: input or select, with its description for screen readers.
  function control(id, label, type, options, extra) {
    const attrs = Object.assign({ id, name: id }, extra || {});
    let input;
    if (type === 'enum' || type === 'bool') {
      input = el('select', attrs, optionsOf(options));
    } else if (type === 'datetime') {
      input = el('input', Object.assign(attrs, { type: 'datetime-local', step: '1' }));
    } else if (type === 'date') {
      input = el('input', Object.assign(attrs, { type: 'date' }));
    } else if (type === 'number' || type === 'int') {
      input = el('input', Object.assign(attrs, { type: 'text', inputmode: 'decimal', autocomplete: 'off' }));
    } else {
      input = el('input', Object.assign(attrs, { type: 'text', autocomplete: 'off', spellcheck: 'false' }));
    }
    const wrapper = el('div', { class: 'field' }, el('label', { for: id, text: label }), input);
    return { wrapper, input };
  }

  // ---- Times: datetime-local values <-> RFC 3339 with offset ----------------------------------------------------

  function useUtc() { return $('tz').value === 'utc'; }
  const pad = (n, width) => String(n).padStart(width || 2, '0');

  function offsetText(minutesEast) {
    if (minutesEast === 0) return 'Z';
    const sign = minutesEast > 0 ? '+' : '-';
    const m = Math.abs(minutesEast);
    return sign + pad(Math.floor(m / 60)) + ':' + pad(m % 60);
  }

  // "2026-11-20T14:00" or "...:05" in the form's zone -> "2026-11-20T14:00:00Z" (or with the local offset).
  function toRfc3339(value) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
    if (!m) return null;
    const text = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] || '00'}`;
    if (useUtc()) return text + 'Z';
    const local = new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
    return text + offsetText(-local.getTimezoneOffset());
  }

  // RFC 3339 -> the datetime-local value in the form's zone; null when it cannot be read.
  function fromRfc3339(text) {
    if (typeof text !== 'string') return null;
    const date = new Date(text);
    if (isNaN(date.getTime())) return null;
    if (useUtc()) {
      return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T` +
        `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
    }
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T` +
      `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  }

  function nowInputValue() {
    const now = new Date();
    now.setMilliseconds(0);
    return fromRfc3339(now.toISOString());
  }

  // Re-expresses every time on the form when the zone changes (the instant stays the same).
  let zoneInUse = 'utc';
  function changeZone() {
    const inputs = Array.from(document.querySelectorAll('input[type="datetime-local"]'));
    const next = $('tz').value;
    $('tz').value = zoneInUse;
    const instants = inputs.map((input) => (input.value ? toRfc3339(input.value) : ''));
    $('tz').value = next;
    zoneInUse = next;
    inputs.forEach((input, i) => { input.value = instants[i] ? fromRfc3339(instants[i]) : ''; });
    $('tz-name').textContent = next === 'utc' ? 'UTC' : "this device's time zone";
  }

  // ---- Building the form --------------------------------------------------------------------------------------

  function buildSingleFields(container, fields) {
    for (const field of fields) {
      const { wrapper, input } = control(fieldId(field.path), field.label, field.type, field.options,
        { 'data-path': field.path });
      if (field.required) input.setAttribute('aria-required', 'true');
      if (field.now) {
        wrapper.append(el('button', { type: 'button', class: 'small', text: 'Now',
          'aria-label': 'Set the assessment time to now', onclick: () => { input.value = nowInputValue(); formChanged(); } }));
      }
      container.append(wrapper);
    }
  }

  function buildGroups(container, groups, prefix) {
    groups.forEach(([title, fields], i) => {
      const legendId = `${prefix}-group-${i}`;
      const fieldset = el('fieldset', { class: 'group' }, el('legend', { id: legendId, text: title }));
      const grid = el('div', { class: 'grid' });
      buildSingleFields(grid, fields);
      fieldset.append(grid);
      container.append(fieldset);
    });
  }

  function selectOptions(values, blankLabel) {
    const list = values.map((v) => [v, words(v)]);
    return blankLabel === undefined ? list : [['', blankLabel]].concat(list);
  }

  // One observation row.
  function addObservation(kind, values) {
    const n = ++rowCounter;
    const id = (name) => `obs-${n}-${name}`;
    const row = el('fieldset', { class: 'row obs-row', 'data-row': 'observation', id: `obs-${n}` });
    const legend = el('legend', {});
    const kindCtl = control(id('kind'), 'Kind', 'enum', KINDS.map(([k, label]) => [k, label]));
    const valueCtl = control(id('value'), 'Value', 'number');
    const cmpCtl = control(id('comparator'), 'Comparator', 'enum',
      [['', '= (exact)'], ['<', '<'], ['<=', '≤'], ['>=', '≥'], ['>', '>']]);
    const unitCtl = control(id('unit'), 'Unit', 'enum', []);
    const timeCtl = control(id('time'), 'Time', 'datetime');
    const routeCtl = control(id('route'), 'Temperature site', 'enum', selectOptions(TEMPERATURE_ROUTES, 'not recorded'));
    const lowCtl = control(id('low'), 'Reference low', 'number');
    const highCtl = control(id('high'), 'Reference high (upper limit of normal)', 'number');
    const baselineInput = el('input', { type: 'checkbox', id: id('baseline') });
    const baseline = el('div', { class: 'field check' }, baselineInput,
      el('label', { for: id('baseline'), text: 'Pre-episode baseline' }));
    const remove = el('button', { type: 'button', class: 'small remove' });
    row.dataset.id = (values && values.id) || '';
    // A kind the case format does not know (a loaded file) is kept as it is, so that the server names it.
    const setKind = (k) => {
      const info = KIND[k] || { label: k, units: [] };
      setSelectValue(kindCtl.input, k);
      const previous = unitCtl.input.value;
      unitCtl.input.replaceChildren(...optionsOf(info.units.map((u) => [u, UNIT_LABELS[u] || u])));
      if (info.units.includes(previous)) unitCtl.input.value = previous;
      routeCtl.wrapper.hidden = k !== 'temperature';
      legend.textContent = `${info.label} reading`;
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove this ${info.label} reading`);
    };
    kindCtl.input.addEventListener('change', () => setKind(kindCtl.input.value));
    remove.addEventListener('click', () => { focusAfterRemoval(row, $('obs-add-kind')); row.remove(); formChanged(); });
    row.append(legend, el('div', { class: 'grid' }, kindCtl.wrapper, valueCtl.wrapper, cmpCtl.wrapper, unitCtl.wrapper,
      timeCtl.wrapper, routeCtl.wrapper, lowCtl.wrapper, highCtl.wrapper, baseline), remove);
    row.controls = { kind: kindCtl.input, value: valueCtl.input, comparator: cmpCtl.input, unit: unitCtl.input,
      time: timeCtl.input, route: routeCtl.input, low: lowCtl.input, high: highCtl.input, baseline: baselineInput };
    setKind(kind);
    if (values) {
      if (values.value !== undefined) valueCtl.input.value = String(values.value);
      if (values.comparator) cmpCtl.input.value = values.comparator;
      if (values.unit !== undefined) setSelectValue(unitCtl.input, values.unit);
      if (values.time) timeCtl.input.value = fromRfc3339(values.time) || '';
      if (values.route) routeCtl.input.value = values.route;
      const range = values.reference_range || {};
      if (range.low !== undefined) lowCtl.input.value = String(range.low);
      if (range.high !== undefined) highCtl.input.value = String(range.high);
      baselineInput.checked = values.baseline === true;
    }
    $('obs-list').append(row);
    return row;
  }

  // A select keeps a value it does not offer (an unknown unit in a loaded file) so that the server names it.
  function setSelectValue(select, value) {
    if (!Array.from(select.options).some((o) => o.value === value)) {
      select.append(el('option', { value, text: `${value} (not accepted)` }));
    }
    select.value = value;
  }

  function focusAfterRemoval(row, fallback) {
    const next = row.nextElementSibling || row.previousElementSibling;
    const target = next ? next.querySelector('input, select, button') : fallback;
    if (target) target.focus();
  }

  // One medication row, with its administrations.
  function addMedication(values) {
    const n = ++rowCounter;
    const id = (name) => `med-${n}-${name}`;
    const row = el('fieldset', { class: 'row med-row', 'data-row': 'medication', id: `med-${n}` });
    const legend = el('legend', { text: 'Medication' });
    const nameCtl = control(id('name'), 'Drug name', 'text', null, { list: 'drug-names', 'aria-describedby': id('match') });
    const match = el('p', { id: id('match'), class: 'match', 'aria-live': 'polite' });
    const routeCtl = control(id('route'), 'Route', 'enum', selectOptions(MED_ROUTES, 'not recorded'));
    const statusCtl = control(id('status'), 'Status', 'enum', selectOptions(MED_STATUSES));
    const startCtl = control(id('start'), 'Start', 'datetime');
    const stopCtl = control(id('stop'), 'Stop (empty: not stopped)', 'datetime');
    const lastCtl = control(id('last'), 'Last dose given', 'datetime');
    const laInput = el('input', { type: 'checkbox', id: id('long_acting') });
    const la = el('div', { class: 'field check' }, laInput, el('label', { for: id('long_acting'), text: 'Long-acting injectable (depot)' }));
    const intervalCtl = control(id('interval'), 'Depot interval (days; empty: knowledge-base default)', 'number');
    const antiemeticCtl = control(id('antiemetic'), 'Given for nausea or vomiting', 'enum',
      [['', 'from the indication'], ['true', 'yes'], ['false', 'no']]);
    const doseCtl = control(id('dose'), 'Dose (free text)', 'text');
    const indicationCtl = control(id('indication'), 'Indication (free text)', 'text');
    const rxnormCtl = control(id('rxnorm'), 'RxNorm code (optional)', 'text', null, { inputmode: 'numeric' });
    const admins = el('div', { class: 'admins', id: id('admins') });
    const addAdmin = el('button', { type: 'button', class: 'small', text: 'Add a dose given',
      onclick: () => { addAdministration(row, admins).controls.at.focus(); formChanged(); } });
    const remove = el('button', { type: 'button', class: 'small remove', text: 'Remove' });
    const describe = () => {
      const name = nameCtl.input.value.trim();
      legend.textContent = name ? `Medication: ${name}` : 'Medication';
      remove.setAttribute('aria-label', `Remove medication ${name}`.trim());
      match.textContent = name ? drugMatchText(name) : '';
      match.className = 'match' + (name && !matchDrugs(name).length ? ' unmatched' : '');
    };
    nameCtl.input.addEventListener('input', describe);
    remove.addEventListener('click', () => { focusAfterRemoval(row, $('med-add')); row.remove(); updateListStates(); formChanged(); });
    row.append(legend, el('div', { class: 'grid' }, el('div', { class: 'field wide' }, nameCtl.wrapper, match), statusCtl.wrapper,
      routeCtl.wrapper, startCtl.wrapper, stopCtl.wrapper, lastCtl.wrapper, doseCtl.wrapper, indicationCtl.wrapper,
      antiemeticCtl.wrapper, la, intervalCtl.wrapper, rxnormCtl.wrapper),
    el('div', { class: 'admin-block' }, el('p', { class: 'sub', text: 'Doses given (needed for dantrolene already given)' }), admins, addAdmin),
    remove);
    row.controls = { name: nameCtl.input, route: routeCtl.input, status: statusCtl.input, start: startCtl.input,
      stop: stopCtl.input, last: lastCtl.input, longActing: laInput, interval: intervalCtl.input,
      antiemetic: antiemeticCtl.input, dose: doseCtl.input, indication: indicationCtl.input, rxnorm: rxnormCtl.input, admins };
    row.dataset.id = (values && values.id) || '';
    if (values) {
      nameCtl.input.value = values.name || '';
      if (values.route) setSelectValue(routeCtl.input, values.route);
      if (values.status) setSelectValue(statusCtl.input, values.status);
      startCtl.input.value = fromRfc3339(values.start) || '';
      stopCtl.input.value = fromRfc3339(values.stop) || '';
      lastCtl.input.value = fromRfc3339(values.last_administered) || '';
      laInput.checked = values.long_acting === true;
      if (values.long_acting_interval_days !== undefined) intervalCtl.input.value = String(values.long_acting_interval_days);
      if (values.used_as_antiemetic !== undefined) antiemeticCtl.input.value = String(values.used_as_antiemetic);
      doseCtl.input.value = values.dose || '';
      indicationCtl.input.value = values.indication || '';
      rxnormCtl.input.value = values.rxnorm || '';
      for (const a of values.administrations || []) addAdministration(row, admins, a);
    }
    describe();
    $('med-list').append(row);
    updateListStates();
    return row;
  }

  function addAdministration(medRow, container, values) {
    const n = ++rowCounter;
    const id = (name) => `adm-${n}-${name}`;
    const row = el('div', { class: 'admin-row', 'data-row': 'administration' });
    const atCtl = control(id('at'), 'Given at', 'datetime');
    const amountCtl = control(id('amount'), 'Amount', 'number');
    const unitCtl = control(id('unit'), 'Amount unit', 'enum', [['mg', 'mg'], ['mg/kg', 'mg/kg']]);
    const remove = el('button', { type: 'button', class: 'small remove', text: 'Remove dose',
      onclick: () => { focusAfterRemoval(row, medRow.querySelector('.admin-block button')); row.remove(); formChanged(); } });
    row.append(atCtl.wrapper, amountCtl.wrapper, unitCtl.wrapper, remove);
    row.controls = { at: atCtl.input, amount: amountCtl.input, unit: unitCtl.input };
    if (values) {
      atCtl.input.value = fromRfc3339(values.at) || '';
      if (values.dose_mg !== undefined) amountCtl.input.value = String(values.dose_mg);
      if (values.dose_mg_per_kg !== undefined) { amountCtl.input.value = String(values.dose_mg_per_kg); unitCtl.input.value = 'mg/kg'; }
    }
    container.append(row);
    return row;
  }

  function addCondition(values) {
    const n = ++rowCounter;
    const id = (name) => `cond-${n}-${name}`;
    const row = el('fieldset', { class: 'row cond-row', 'data-row': 'condition' }, el('legend', { text: 'Problem' }));
    const textCtl = control(id('text'), 'Problem (text)', 'text');
    const systemCtl = control(id('system'), 'Code system', 'enum', [['', 'no code'],
      ['http://snomed.info/sct', 'SNOMED CT'], ['http://hl7.org/fhir/sid/icd-10-cm', 'ICD-10-CM']]);
    const codeCtl = control(id('code'), 'Code', 'text');
    const statusCtl = control(id('status'), 'Status', 'enum', [['active', 'active'], ['past', 'past (resolved, remission)'],
      ['refuted', 'refuted']]);
    const onsetCtl = control(id('onset'), 'Onset', 'datetime');
    const remove = el('button', { type: 'button', class: 'small remove', text: 'Remove problem',
      onclick: () => { focusAfterRemoval(row, $('cond-add')); row.remove(); updateListStates(); formChanged(); } });
    row.append(el('div', { class: 'grid' }, textCtl.wrapper, systemCtl.wrapper, codeCtl.wrapper, statusCtl.wrapper,
      onsetCtl.wrapper), remove);
    row.controls = { text: textCtl.input, system: systemCtl.input, code: codeCtl.input, status: statusCtl.input,
      onset: onsetCtl.input };
    if (values) {
      textCtl.input.value = values.text || '';
      if (values.system) setSelectValue(systemCtl.input, values.system);
      codeCtl.input.value = values.code || '';
      if (values.status) setSelectValue(statusCtl.input, values.status);
      onsetCtl.input.value = fromRfc3339(values.onset) || '';
    }
    $('cond-list').append(row);
    updateListStates();
    return row;
  }

  function addProcedure(values) {
    const n = ++rowCounter;
    const row = el('div', { class: 'row proc-row', 'data-row': 'procedure' });
    const timeCtl = control(`proc-${n}-time`, 'ECT treatment at', 'datetime');
    const remove = el('button', { type: 'button', class: 'small remove', text: 'Remove ECT treatment',
      onclick: () => { focusAfterRemoval(row, $('proc-add')); row.remove(); updateListStates(); formChanged(); } });
    row.append(timeCtl.wrapper, remove);
    row.controls = { time: timeCtl.input };
    if (values) timeCtl.input.value = fromRfc3339(values.time) || '';
    $('proc-list').append(row);
    updateListStates();
    return row;
  }

  // A list with rows is sent (and read as complete); without rows the select says unknown or none.
  function updateListStates() {
    for (const [list, state, note] of [['med-list', 'med-list-state', 'med-list-complete'],
      ['cond-list', 'cond-list-state', 'cond-list-complete'], ['proc-list', 'proc-list-state', 'proc-list-complete']]) {
      const hasRows = $(list).children.length > 0;
      $(state).parentElement.hidden = hasRows;
      $(note).hidden = !hasRows;
    }
  }

  // ---- Drug catalogue (autocomplete) ---------------------------------------------------------------------------

  function wholeWordIn(text, phrase) {
    const escaped = phrase.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^a-z0-9])${escaped}($|[^a-z0-9])`).test(text.toLowerCase());
  }

  // Ingredients whose names occur in `name` as whole words (the case reader's rule; the server decides).
  function matchDrugs(name) {
    if (!drugCatalogue) return [];
    return drugCatalogue.drugs.filter((d) => d.names.concat(d.long_acting_names).some((n) => wholeWordIn(name, n)));
  }

  function drugMatchText(name) {
    if (!drugCatalogue) return '';
    const drugs = matchDrugs(name);
    if (!drugs.length) {
      return 'Not in the knowledge base: every rule will ignore this entry. Check the spelling.';
    }
    return 'Knowledge base: ' + drugs.map((d) => {
      const depot = d.long_acting_names.some((n) => wholeWordIn(name, n)) ? ', depot product' : '';
      const d2 = d.dopamine_antagonist ? ', counted as a dopamine antagonist' : '';
      return `${d.name} (${d.classes.map((c) => c.label).join(', ')}${d2}${depot})`;
    }).join('; ');
  }

  async function loadDrugCatalogue() {
    try {
      const response = await fetch('api/kb/drugs', { headers: { Accept: 'application/json' } });
      noteAuthHeader(response);
      if (!response.ok) throw new Error('HTTP ' + response.status);
      drugCatalogue = await response.json();
      const names = new Set();
      for (const d of drugCatalogue.drugs) for (const n of d.names.concat(d.long_acting_names)) names.add(n);
      $('drug-names').replaceChildren(...Array.from(names).sort((a, b) => a.localeCompare(b))
        .map((n) => el('option', { value: n })));
      for (const row of document.querySelectorAll('.med-row')) row.controls.name.dispatchEvent(new Event('input'));
    } catch (e) {
      setLoadStatus('The drug list for the autocomplete could not be loaded; drug names are still checked by the server.');
    }
  }

  // ---- Form -> case (interfaces.md §2) -----------------------------------------------------------------------------

  // Builds the case. `pointers` maps each JSON pointer sent to the control that supplied it (for the server's
  // errors); `problems` are the gaps the page finds itself: [{control, message}].
  function buildCase() {
    const pointers = new Map();
    const problems = [];
    const doc = { format: 'nmscds-case', format_version: 1 };
    const problem = (controlElement, message) => problems.push({ control: controlElement, message });

    const readValue = (input, type, pointer) => {
      const raw = input.value.trim();
      if (raw === '') return undefined;
      pointers.set(pointer, input);
      if (type === 'datetime') {
        const t = toRfc3339(raw);
        if (!t) problem(input, 'is not a complete date and time');
        return t || undefined;
      }
      if (type === 'number' || type === 'int') {
        const normalised = raw.replace(',', '.');
        if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(normalised)) {
          problem(input, 'is not a number');
          return undefined;
        }
        const number = Number(normalised);
        if (type === 'int' && !Number.isInteger(number)) { problem(input, 'must be a whole number'); return undefined; }
        return number;
      }
      if (type === 'bool') return raw === 'true';
      return raw;
    };
    const setPath = (target, pointer, value) => {
      const parts = pointer.split('/').slice(1);
      let node = target;
      for (const part of parts.slice(0, -1)) node = node[part] = node[part] || {};
      node[parts[parts.length - 1]] = value;
    };

    const singles = {};
    for (const field of SINGLE_FIELDS) {
      const input = $(fieldId(field.path));
      const value = readValue(input, field.bool ? 'bool' : field.type, field.path);
      if (field.required && value === undefined) problem(input, 'is required');
      singles[field.path] = { value, input, field };
    }
    // A quantity (weight, height) is sent only with its value: clearing the weight makes it unknown, whatever
    // unit and measurement time are left beside it.
    for (const q of ['weight', 'height']) {
      if (singles[`/patient/${q}/value`].value === undefined) {
        for (const part of ['unit', 'measured_at']) delete singles[`/patient/${q}/${part}`];
      }
    }

    const order = ['/patient/', '/assessed_at', '/episode_onset', '/clinician_suspected_nms'];
    for (const prefix of order) {
      for (const [pointer, { value }] of Object.entries(singles)) {
        if (pointer.startsWith(prefix) && value !== undefined) setPath(doc, pointer, value);
      }
    }
    const id = doc.patient && doc.patient.id;
    if (id !== undefined && !/^[A-Za-z0-9\-.]{1,64}$/.test(id)) {
      problem($(fieldId('/patient/id')), 'may hold only letters, digits, "-" and "." (at most 64)');
    }

    const observations = [];
    document.querySelectorAll('#obs-list .obs-row').forEach((row) => {
      const c = row.controls;
      const base = `/observations/${observations.length}`;
      const o = {};
      if (row.dataset.id) o.id = row.dataset.id;
      o.kind = c.kind.value;
      pointers.set(base, c.value);
      pointers.set(base + '/kind', c.kind);
      const value = readValue(c.value, 'number', base + '/value');
      if (value === undefined && c.value.value.trim() === '') problem(c.value, 'is missing (remove the row if there is no reading)');
      o.value = value;
      if (c.comparator.value) { o.comparator = c.comparator.value; pointers.set(base + '/comparator', c.comparator); }
      o.unit = c.unit.value;
      pointers.set(base + '/unit', c.unit);
      const time = readValue(c.time, 'datetime', base + '/time');
      if (time === undefined && c.time.value === '') problem(c.time, 'is missing');
      o.time = time;
      if (o.kind === 'temperature' && c.route.value) { o.route = c.route.value; pointers.set(base + '/route', c.route); }
      const low = readValue(c.low, 'number', base + '/reference_range/low');
      const high = readValue(c.high, 'number', base + '/reference_range/high');
      if (low !== undefined || high !== undefined) {
        o.reference_range = {};
        if (low !== undefined) o.reference_range.low = low;
        if (high !== undefined) o.reference_range.high = high;
        pointers.set(base + '/reference_range', low !== undefined ? c.low : c.high);
      }
      if (c.baseline.checked) { o.baseline = true; pointers.set(base + '/baseline', c.baseline); }
      observations.push(o);
    });
    if (observations.length) doc.observations = observations;

    const findings = {};
    for (const [pointer, { value }] of Object.entries(singles)) {
      if (pointer.startsWith('/findings/') && value !== undefined) findings[pointer.slice(10)] = value;
    }
    if (Object.keys(findings).length) doc.findings = findings;

    // An optional member: sent only when its control holds a value.
    const put = (target, member, input, type, pointer) => {
      const value = readValue(input, type, pointer);
      if (value !== undefined) target[member] = value;
      return value;
    };
    // A list with rows is sent and read as complete; without rows, "none" sends [] and "not recorded" nothing.
    const readList = (member, list, readRow) => {
      const rows = document.querySelectorAll(`#${list}-list > .row`);
      if (rows.length) {
        doc[member] = [];
        rows.forEach((row) => doc[member].push(readRow(row.controls, `/${member}/${doc[member].length}`, row)));
      } else if ($(`${list}-list-state`).value === 'none') {
        doc[member] = [];
        pointers.set('/' + member, $(`${list}-list-state`));
      }
    };

    readList('medications', 'med', (c, base, row) => {
      const m = {};
      if (row.dataset.id) m.id = row.dataset.id;
      pointers.set(base, c.name);
      if (put(m, 'name', c.name, 'text', base + '/name') === undefined) {
        problem(c.name, 'is missing (remove the row if there is no medication)');
      }
      put(m, 'rxnorm', c.rxnorm, 'text', base + '/rxnorm');
      put(m, 'route', c.route, 'text', base + '/route');
      put(m, 'status', c.status, 'text', base + '/status');
      put(m, 'start', c.start, 'datetime', base + '/start');
      put(m, 'stop', c.stop, 'datetime', base + '/stop');
      put(m, 'last_administered', c.last, 'datetime', base + '/last_administered');
      if (c.longActing.checked) { m.long_acting = true; pointers.set(base + '/long_acting', c.longActing); }
      put(m, 'long_acting_interval_days', c.interval, 'number', base + '/long_acting_interval_days');
      put(m, 'used_as_antiemetic', c.antiemetic, 'bool', base + '/used_as_antiemetic');
      put(m, 'dose', c.dose, 'text', base + '/dose');
      put(m, 'indication', c.indication, 'text', base + '/indication');
      const admins = [];
      c.admins.querySelectorAll('.admin-row').forEach((adminRow) => {
        const a = adminRow.controls;
        const adminBase = `${base}/administrations/${admins.length}`;
        const entry = {};
        pointers.set(adminBase, a.at);
        if (put(entry, 'at', a.at, 'datetime', adminBase + '/at') === undefined && a.at.value === '') problem(a.at, 'is missing');
        const amountMember = a.unit.value === 'mg' ? 'dose_mg' : 'dose_mg_per_kg';
        put(entry, amountMember, a.amount, 'number', `${adminBase}/${amountMember}`);
        admins.push(entry);
      });
      if (admins.length) m.administrations = admins;
      return m;
    });

    readList('conditions', 'cond', (c, base) => {
      const entry = {};
      pointers.set(base, c.text);
      const system = put(entry, 'system', c.system, 'text', base + '/system');
      const code = put(entry, 'code', c.code, 'text', base + '/code');
      const text = put(entry, 'text', c.text, 'text', base + '/text');
      if (code === undefined && text === undefined) problem(c.text, 'needs a text or a code');
      if ((code === undefined) !== (system === undefined)) problem(c.code, 'and its code system go together');
      put(entry, 'status', c.status, 'text', base + '/status');
      put(entry, 'onset', c.onset, 'datetime', base + '/onset');
      return entry;
    });

    readList('procedures', 'proc', (c, base) => {
      const entry = { kind: 'ect' };
      pointers.set(base, c.time);
      if (put(entry, 'time', c.time, 'datetime', base + '/time') === undefined && c.time.value === '') problem(c.time, 'is missing');
      return entry;
    });

    const context = {};
    for (const [pointer, { value }] of Object.entries(singles)) {
      if (pointer.startsWith('/context/') && value !== undefined) setPath(context, pointer.slice(8), value);
    }
    if (Object.keys(context).length) doc.context = context;
    return { doc, pointers, problems };
  }

  // ---- Case -> form -------------------------------------------------------------------------------------------

  function clearForm() {
    for (const field of SINGLE_FIELDS) {
      const input = $(fieldId(field.path));
      input.value = field.type === 'enum' || field.type === 'bool' ? field.options[0][0] : '';
    }
    for (const list of ['obs-list', 'med-list', 'cond-list', 'proc-list']) $(list).replaceChildren();
    for (const state of ['med-list-state', 'cond-list-state', 'proc-list-state']) $(state).value = '';
    clearFieldErrors();
    updateListStates();
  }

  // Members of a case this form holds, beyond the single fields and the rows (which are read member by member).
  const ROW_MEMBERS = {
    observation: ['id', 'kind', 'value', 'comparator', 'unit', 'time', 'route', 'reference_range', 'baseline'],
    medication: ['id', 'name', 'rxnorm', 'route', 'status', 'start', 'stop', 'last_administered', 'long_acting',
      'long_acting_interval_days', 'used_as_antiemetic', 'dose', 'indication', 'administrations'],
    condition: ['system', 'code', 'text', 'status', 'onset'],
    procedure: ['kind', 'time'],
  };

  // Fills the form from a native case; returns what the form could not hold (named by pointer).
  function fillForm(doc) {
    clearForm();
    const notHeld = [];
    const value = (pointer) => pointer.split('/').slice(1).reduce((node, key) => (node == null ? undefined : node[key]), doc);
    for (const field of SINGLE_FIELDS) {
      const v = value(field.path);
      if (v === undefined) continue;
      const input = $(fieldId(field.path));
      if (field.type === 'datetime') input.value = fromRfc3339(v) || '';
      else if (field.type === 'enum' || field.type === 'bool') setSelectValue(input, String(v));
      else input.value = String(v);
    }
    const known = new Set(SINGLE_FIELDS.map((f) => f.path));
    const walk = (node, pointer) => {
      if (node === undefined) return;
      if (node && typeof node === 'object' && !Array.isArray(node)) {
        for (const [key, child] of Object.entries(node)) walk(child, `${pointer}/${key}`);
      } else if (!known.has(pointer)) {
        notHeld.push(pointer);
      }
    };
    for (const member of ['patient', 'findings', 'context']) walk(doc[member], '/' + member);
    for (const member of Object.keys(doc)) {
      if (['format', 'format_version', 'patient', 'findings', 'context', 'assessed_at', 'episode_onset',
        'clinician_suspected_nms', 'observations', 'medications', 'conditions', 'procedures'].includes(member)) continue;
      notHeld.push('/' + member);
    }
    const rows = (list, kind, add) => {
      if (!Array.isArray(list)) return;
      list.forEach((entry, i) => {
        for (const key of Object.keys(entry || {})) {
          if (!ROW_MEMBERS[kind].includes(key)) notHeld.push(`/${kind}s/${i}/${key}`);
        }
        add(entry || {});
      });
    };
    rows(doc.observations, 'observation', (o) => addObservation(String(o.kind), o));
    rows(doc.medications, 'medication', (m) => addMedication(m));
    rows(doc.conditions, 'condition', (c) => addCondition(c));
    rows(doc.procedures, 'procedure', (p) => addProcedure(p));
    if (Array.isArray(doc.medications) && !doc.medications.length) $('med-list-state').value = 'none';
    if (Array.isArray(doc.conditions) && !doc.conditions.length) $('cond-list-state').value = 'none';
    if (Array.isArray(doc.procedures) && !doc.procedures.length) $('proc-list-state').value = 'none';
    updateListStates();
    return notHeld;
  }

  function newCase() {
    leaveBundleMode();
    clearForm();
    $(fieldId('/patient/id')).value = 'bedside';
    $(fieldId('/assessed_at')).value = nowInputValue();
    clearResult();
    setLoadStatus('New case: patient id "bedside", assessed now. Fill in what is known.');
  }

  // ---- Opening, dropping, pasting and saving ------------------------------------------------------------------

  function setLoadStatus(text) { $('load-status').textContent = text; }

  function loadDocumentText(text, origin) {
    let doc;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      setLoadStatus(`${origin} is not valid JSON: ${e.message}. The form was not changed.`);
      return;
    }
    clearResult();
    if (doc && doc.resourceType === 'Bundle') {
      enterBundleMode(text, doc, origin);
      return;
    }
    if (!doc || doc.format !== 'nmscds-case') {
      setLoadStatus(`${origin} is neither an nmscds case ("format": "nmscds-case") nor a FHIR Bundle. The form was not changed.`);
      return;
    }
    leaveBundleMode();
    const notHeld = fillForm(doc);
    setLoadStatus(`${origin} loaded into the form.` + (notHeld.length
      ? ` Not carried over (the form has no field for them): ${notHeld.join(', ')}.` : ''));
  }

  // A FHIR Bundle is read by the server's FHIR reader (interfaces.md §4), never mapped here: POST /api/case writes
  // it as a native case for the form, and says where the form would not give the Bundle's own assessment. Until
  // the form holds it (or when it cannot), the form is set aside and Assess sends the Bundle as it is.
  function enterBundleMode(text, doc, origin) {
    const entries = Array.isArray(doc.entry) ? doc.entry.length : 0;
    loadedBundle = { text, origin };
    $('bundle-summary').textContent = `${origin}: a FHIR Bundle (${doc.type || 'type not given'}, ${entries} entries). ` +
      'Assess sends it as it is; the form is not used while it is loaded.';
    $('bundle-differences').replaceChildren();
    $('bundle-mode').hidden = false;
    for (const fs of document.querySelectorAll('#case-form > section:not(.submit-panel)')) fs.inert = true;
    document.body.classList.add('bundle-loaded');
    setLoadStatus(`${origin} loaded.`);
    // With authentication on, each token is accepted once: the clinician decides whether to spend one on this.
    if (authDisabled) bundleToForm();
  }

  async function bundleToForm() {
    if (!loadedBundle) return;
    const { text, origin } = loadedBundle;
    const headers = { 'Content-Type': 'application/fhir+json', Accept: 'application/json' };
    const token = $('token').value.trim();
    if (token) headers.Authorization = 'Bearer ' + token;
    const explain = (title, lines) => {
      $('bundle-differences').replaceChildren(el('p', { text: title }),
        el('ul', {}, lines.map((line) => el('li', { text: line }))));
    };
    let response;
    let body;
    try {
      response = await fetch('api/case', { method: 'POST', headers, body: text, cache: 'no-store' });
      body = await response.text();
    } catch (e) {
      explain('The server could not be reached to put the Bundle into the form:', [String(e.message || e)]);
      return;
    }
    noteAuthHeader(response);
    if (!loadedBundle || loadedBundle.text !== text) return;  // another file was opened meanwhile
    if (!response.ok) {
      const items = outcomeItems(body, null);
      explain(`The Bundle could not be put into the form (HTTP ${response.status}); Assess sends it as it is:`,
        items.length ? items.map((i) => i.message + (i.diagnostics && response.status === 401 ? ` (${i.diagnostics})` : '')) : [body]);
      return;
    }
    const result = JSON.parse(body);
    if (result.differences.length) {
      explain('The form cannot hold this Bundle exactly, so Assess sends the Bundle as it is:', result.differences);
      return;
    }
    leaveBundleMode();
    const notHeld = fillForm(result.case);
    setLoadStatus(`${origin}: the FHIR Bundle as read by the server is in the form (values in canonical units). ` +
      'Review it, then Assess.' + (notHeld.length ? ` Not carried over: ${notHeld.join(', ')}.` : ''));
  }

  function leaveBundleMode() {
    loadedBundle = null;
    $('bundle-mode').hidden = true;
    for (const fs of document.querySelectorAll('#case-form > section')) fs.inert = false;
    document.body.classList.remove('bundle-loaded');
  }

  async function openFile(file) {
    if (!file) return;
    loadDocumentText(await file.text(), file.name);
  }

  function download(name, text) {
    const a = el('a', { href: URL.createObjectURL(new Blob([text], { type: 'application/json' })), download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  function saveCase() {
    if (loadedBundle) { download('bundle.json', loadedBundle.text); return; }
    const { doc } = buildCase();
    const id = (doc.patient && doc.patient.id) || 'case';
    download(`${id}.json`, JSON.stringify(doc, null, 2) + '\n');
    setLoadStatus(`Saved ${id}.json.`);
  }

  // ---- Assess -------------------------------------------------------------------------------------------------

  function noteAuthHeader(response) {
    if (response.headers.get('X-Nmscds-Auth') === 'disabled') $('auth-banner').hidden = false;
  }

  function clearResult() {
    lastReportJson = null;
    $('result').replaceChildren();
    $('result').hidden = true;
    $('stale').hidden = true;
    $('error').hidden = true;
    $('error').replaceChildren();
    $('result-placeholder').hidden = false;
    clearFieldErrors();
  }

  function clearFieldErrors() {
    for (const node of document.querySelectorAll('[aria-invalid="true"]')) node.removeAttribute('aria-invalid');
    for (const node of document.querySelectorAll('.field-error')) node.remove();
  }

  function labelOf(control) {
    const label = control && control.id ? document.querySelector(`label[for="${control.id}"]`) : null;
    const row = control && control.closest('fieldset.row');
    const rowName = row ? row.querySelector('legend').textContent + ': ' : '';
    return rowName + (label ? label.textContent : 'field');
  }

  function markField(control, message) {
    if (!control) return;
    control.setAttribute('aria-invalid', 'true');
    const note = el('p', { class: 'field-error', id: control.id + '-error', text: message });
    control.closest('.field') ? control.closest('.field').append(note) : control.after(note);
    const described = (control.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && !x.endsWith('-error'));
    control.setAttribute('aria-describedby', described.concat(note.id).join(' '));
  }

  function focusControl(control) {
    if (!control) return;
    const section = control.closest('details');
    if (section) section.open = true;
    control.scrollIntoView({ block: 'center' });
    control.focus();
  }

  // Shows an error with a list of problems, each linked to its field. Never leaves an old result on screen.
  function showError(title, items) {
    clearResult();
    const box = $('error');
    box.append(el('h3', { text: title }));
    if (items && items.length) {
      const list = el('ul');
      for (const item of items) {
        if (item.control) {
          markField(item.control, item.message);
          list.append(el('li', {}, el('a', { href: '#' + item.control.id,
            onclick: (ev) => { ev.preventDefault(); focusControl(item.control); } }, labelOf(item.control)), ': ' + item.message));
        } else {
          list.append(el('li', { text: item.message }));
        }
      }
      box.append(list);
    }
    box.hidden = false;
    $('result-placeholder').hidden = true;
    box.focus();
  }

  // The control an OperationOutcome `expression` points at: the longest JSON pointer prefix sent from the form.
  function controlForPointer(pointers, pointer) {
    let p = pointer;
    while (p) {
      if (pointers.has(p)) return pointers.get(p);
      p = p.slice(0, p.lastIndexOf('/'));
    }
    return null;
  }

  function outcomeItems(body, pointers) {
    let outcome;
    try { outcome = JSON.parse(body); } catch (e) { return []; }
    if (!outcome || !Array.isArray(outcome.issue)) return [];
    return outcome.issue.map((issue) => {
      const where = (issue.expression && issue.expression[0]) || '';
      const text = (issue.details && issue.details.text) || issue.diagnostics || issue.code || 'problem';
      const control = where.startsWith('/') && pointers ? controlForPointer(pointers, where) : null;
      return { control, message: control ? `${text} (${where})` : (where ? `${where}: ${text}` : text),
        diagnostics: issue.diagnostics };
    });
  }

  const AUTH_REASONS = {
    missing_token: 'this service needs a bearer token: paste one in the token field',
    replayed: 'this token was already used; each token is accepted once: paste a fresh one',
    expired: 'the token has expired: paste a fresh one',
  };

  async function assess(event) {
    if (event) event.preventDefault();
    const request = ++requestCounter;
    clearResult();
    let body = null;
    let pointers = null;
    if (loadedBundle) {
      body = loadedBundle.text;
    } else {
      const built = buildCase();
      if (built.problems.length) {
        showError('The case is not complete: nothing was sent.', built.problems);
        return;
      }
      body = JSON.stringify(built.doc);
      pointers = built.pointers;
    }
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    const token = $('token').value.trim();
    if (token) headers.Authorization = 'Bearer ' + token;
    $('busy').textContent = 'Assessing…';
    $('assess').disabled = true;
    let response;
    let text;
    try {
      response = await fetch('api/assess', { method: 'POST', headers, body, cache: 'no-store' });
      text = await response.text();
    } catch (e) {
      if (request === requestCounter) {
        showError('The service could not be reached. No result is shown.', [{ message: String(e.message || e) }]);
      }
      return;
    } finally {
      if (request === requestCounter) { $('busy').textContent = ''; $('assess').disabled = false; }
    }
    if (request !== requestCounter) return;
    noteAuthHeader(response);
    if (response.status === 400) {
      showError('The service refused the case: nothing was assessed.', outcomeItems(text, pointers));
      return;
    }
    if (response.status === 401) {
      const items = outcomeItems(text, null);
      const reason = items.length ? items[0].diagnostics : '';
      showError('Not authorised: no result is shown.',
        [{ message: AUTH_REASONS[reason] || `the token was refused (${reason || 'no reason given'})` }]);
      return;
    }
    if (!response.ok) {
      const items = outcomeItems(text, null);
      const title = response.status === 503 ? `The service is busy or ran out of time (HTTP 503): no result is shown. Try again.`
        : `The service failed (HTTP ${response.status}): no result is shown.`;
      showError(title, items);
      return;
    }
    let report;
    try {
      report = JSON.parse(text);
    } catch (e) {
      showError('The service sent an answer that is not a report: no result is shown.', []);
      return;
    }
    lastReportJson = text;
    renderReport(report);
  }

  function formChanged(event) {
    if (event && event.target && event.target.id === 'token') return;
    if (lastReportJson && $('result').hidden === false) {
      $('stale').hidden = false;
      $('result').classList.add('stale');
    }
  }

  // ---- Report -> page (interfaces.md §5, in the order of §6) -------------------------------------------------------

  const DECISION_LABELS = {
    malignant_hyperthermia_protocol: 'GIVE NOW - MALIGNANT HYPERTHERMIA PROTOCOL',
    not_applicable: 'NOT APPLICABLE (NMS unlikely)',
    contraindicated: 'CONTRAINDICATED',
    not_indicated: 'NOT INDICATED',
    insufficient_data: 'INSUFFICIENT DATA - obtain before deciding',
    consider: 'MAY BE CONSIDERED (off-label)',
  };
  const STATUS_LABELS = { recommended: 'recommended', consider: 'consider', conditional: 'conditional',
    alternative: 'alternative', not_indicated: 'not indicated' };
  const STEP_TITLES = { 1: 'Step 1 - now', 2: 'Step 2 - assess', 3: 'Step 3 - NMS-specific treatment',
    4: 'Step 4 - febrile neutropenia' };
  const SEVERITY_TITLES = { critical: 'Critical', warning: 'Warning', info: 'Information' };

  function range(r, unit) {
    if (!r) return '';
    return (r.low === r.high ? `${r.low}` : `${r.low}-${r.high}`) + (unit ? ' ' + unit : '');
  }

  function when(iso) {
    if (!iso) return '';
    return iso.replace('T', ' ').replace(/:\d\dZ$/, ' UTC');
  }

  function section(id, title, printed, ...content) {
    return el('section', { class: 'report-section' + (printed ? ' print-keep' : ' print-skip'), id, 'aria-labelledby': id + '-h' },
      el('h3', { id: id + '-h', text: title }), ...content);
  }

  // The one-line dose of the dantrolene regimen: mg when the weight is known, mg/kg otherwise.
  function dantroleneDose(regimen) {
    const perKg = range(regimen.initial_mg_per_kg, 'mg/kg');
    if (regimen.initial_mg) {
      return `${perKg} ${regimen.route} = ${range(regimen.initial_mg, 'mg')} (${range(regimen.initial_vials_20mg)} vials of 20 mg) for ${regimen.weight_kg} kg`;
    }
    return `${perKg} ${regimen.route} (weight unknown: weigh the patient to compute mg and vials)`;
  }

  function renderDecision(report) {
    const d = report.dantrolene;
    const box = el('section', { class: `decision decision-${d.decision} print-keep`, id: 'decision', 'aria-labelledby': 'decision-h' });
    box.append(el('h3', { id: 'decision-h', class: 'decision-line' }, 'Dantrolene: ',
      el('span', { class: 'decision-label', 'data-decision': d.decision, text: DECISION_LABELS[d.decision] || d.decision })));
    box.append(el('ul', { class: 'reasons' }, d.reasons.map((r) => el('li', { text: r.text }))));
    if (d.regimen) {
      box.append(el('p', { class: 'regimen-line' }, el('strong', { text: 'Dose: ' }), dantroleneDose(d.regimen)));
    }
    for (const p of d.preconditions) box.append(el('p', {}, el('strong', { text: 'Before the first dose: ' }), p.text));
    if (['contraindicated', 'not_indicated', 'insufficient_data'].includes(d.decision)) {
      const instead = report.alternatives.find((a) => a.status === 'recommended');
      if (instead) box.append(el('p', { class: 'instead' }, el('strong', { text: 'Instead: ' }), `${instead.drug} (step 3).`));
    }
    if (d.secondary_findings.length) {
      box.append(el('p', { class: 'sub', text: 'Also found:' }),
        el('ul', {}, d.secondary_findings.map((r) => el('li', { text: r.text }))));
    }
    return box;
  }

  function renderDoNow(report) {
    const items = report.plan.filter((p) => p.priority === 'immediate')
      .concat(report.monitoring.filter((m) => m.priority === 'immediate'));
    const critical = report.warnings.filter((w) => w.severity === 'critical');
    const content = [];
    if (items.length) content.push(el('ol', { class: 'do-now' }, items.map((p) => el('li', { 'data-id': p.id, text: p.text }))));
    else content.push(el('p', { text: 'Nothing immediate.' }));
    if (critical.length) {
      content.push(el('ul', { class: 'critical-warnings', 'aria-label': 'Critical warnings' },
        critical.map((w) => el('li', { class: 'warning-critical', 'data-code': w.code }, el('strong', { text: 'Critical: ' }), w.text))));
    }
    return section('do-now', 'Do now', true, ...content);
  }

  function renderDoses(report) {
    const rows = [];
    const regimen = report.dantrolene.regimen;
    if (regimen) {
      rows.push(el('h4', { text: `Dantrolene (${regimen.indication === 'nms' ? 'NMS, off-label' : 'malignant hyperthermia'})` }));
      const dl = el('dl', { class: 'dose-table' });
      const add = (term, detail) => { if (detail) dl.append(el('dt', { text: term }), el('dd', { text: detail })); };
      add('Initial', dantroleneDose(regimen));
      if (regimen.repeat_mg_per_kg !== undefined) {
        add('Repeat', `${regimen.repeat_mg_per_kg} mg/kg` + (regimen.repeat_mg !== undefined ? ` = ${regimen.repeat_mg} mg` : '') +
          (regimen.repeat_interval_h !== undefined ? ` every ${regimen.repeat_interval_h} h if needed` : ' until controlled'));
      }
      if (regimen.max_mg_per_kg_24h !== undefined) {
        add('Maximum per 24 h', `${regimen.max_mg_per_kg_24h} mg/kg` + (regimen.max_mg_24h !== undefined ? ` = ${regimen.max_mg_24h} mg` : '') +
          (regimen.given_mg_24h !== undefined ? `; given ${regimen.given_mg_24h} mg` : '') +
          (regimen.remaining_mg_24h !== undefined ? `; remaining ${regimen.remaining_mg_24h} mg` : ''));
      }
      add('Regimen', regimen.text);
      add('Mix', regimen.reconstitution);
      add('Give', regimen.access);
      add('Stop', regimen.stop_when);
      rows.push(dl);
    }
    for (const a of report.alternatives) {
      const head = el('h4', {}, `${a.rank}. ${a.drug} `, el('span', { class: `status status-${a.status}`, text: `[${STATUS_LABELS[a.status] || a.status}]` }));
      rows.push(head);
      if (a.regimen) rows.push(el('p', { text: a.regimen.text }));
      for (const p of a.preconditions) rows.push(el('p', {}, el('strong', { text: 'First: ' }), p.text));
      if (a.cautions.length) rows.push(el('p', { class: 'cautions' }, el('strong', { text: 'Cautions: ' }), a.cautions.map((c) => c.text).join(' ')));
    }
    if (!rows.length) return null;
    return section('doses', 'Doses', true, ...rows);
  }

  function renderSituation(report) {
    const n = report.nms;
    const fn = report.febrile_neutropenia;
    const dl = el('dl', { class: 'situation' });
    const add = (term, detail) => dl.append(el('dt', { text: term }), el('dd', { text: detail }));
    add('NMS suspicion', `${n.suspicion.toUpperCase()} - IEC ${n.iec.points}/100 (cutoff ${n.iec.cutoff}, at most ${n.iec.max_possible} possible)`);
    add('Woodbury stage', `${n.woodbury.stage} (${n.woodbury.label})` +
      (n.woodbury.drivers.length ? ' - ' + n.woodbury.drivers.map((d) => `${words(d.dimension)} ${d.value}${d.unit ? ' ' + d.unit : ''}`).join(', ') : ''));
    add('Trigger', `${words(n.trigger.pattern)}` + (n.trigger.agents.length ? ' - ' + n.trigger.agents.map((a) => `${a.name} (${words(a.exposure)})`).join(', ') : ''));
    const fnParts = [fn.status.toUpperCase() + (fn.presumed ? ' (presumed)' : '')];
    if (fn.fever && fn.fever.max_c !== undefined) fnParts.push(`max ${fn.fever.max_c} °C`);
    if (fn.anc && fn.anc.value_10e9_l !== undefined) fnParts.push(`ANC ${fn.anc.value_10e9_l} ×10⁹/L` + (fn.profound === 'yes' ? ' (profound)' : ''));
    if (fn.mascc && fn.mascc.risk !== 'not_applicable') fnParts.push(`MASCC ${fn.mascc.score !== undefined ? fn.mascc.score : '?'} (${words(fn.mascc.risk)} risk)`);
    add('Febrile neutropenia', fnParts.join(', '));
    add('Liver', report.hepatic.status.toUpperCase() + (report.hepatic.basis.length
      ? ' - ' + report.hepatic.basis.filter((f) => f.unit).map((f) => `${f.name.toUpperCase()} ${f.value} ${f.unit}${f.uln !== undefined ? ` (ULN ${f.uln})` : ''}`).join(', ') : ''));
    add('CrCl', report.renal.status === 'computed' ? `${report.renal.crcl_ml_min} mL/min (Cockcroft-Gault)` : 'unknown');
    return section('situation', 'Situation', false, dl);
  }

  function renderSteps(report) {
    const later = report.plan.filter((p) => p.priority !== 'immediate');
    if (!later.length) return null;
    const content = [];
    for (const step of [1, 2, 3, 4]) {
      const items = later.filter((p) => p.step === step);
      if (!items.length) continue;
      content.push(el('h4', { text: STEP_TITLES[step] }), el('ul', { class: 'plan' }, items.map((p) =>
        el('li', { 'data-id': p.id }, el('span', { class: `status status-${p.status}`, text: `[${STATUS_LABELS[p.status] || p.status}]` }), ' ', p.text))));
    }
    return section('steps', 'Steps 1-4', false, ...content);
  }

  function renderMonitoring(report) {
    const items = report.monitoring.filter((m) => m.priority !== 'immediate');
    if (!items.length) return null;
    return section('monitoring', 'Monitoring', false, el('ul', {}, items.map((m) => el('li', { text: m.text }))));
  }

  function renderWarnings(report) {
    const content = [];
    for (const severity of ['warning', 'info']) {
      const items = report.warnings.filter((w) => w.severity === severity);
      if (!items.length) continue;
      content.push(el('h4', { text: SEVERITY_TITLES[severity] }), el('ul', { class: `warnings warnings-${severity}` },
        items.map((w) => el('li', { class: `warning-${severity}`, 'data-code': w.code, text: w.text }))));
    }
    if (!content.length) return null;
    return section('warnings', 'Warnings', true, ...content);
  }

  // Where each missing-data item (interfaces.md §5.14) is entered on the form.
  const MISSING_TARGETS = {
    weight: { path: '/patient/weight/value' }, age: { path: '/patient/age_years' }, sex: { path: '/patient/sex' },
    temperature: { kind: 'temperature' }, heart_rate: { kind: 'heart_rate' }, blood_pressure: { kind: 'systolic_bp' },
    respiratory_rate: { kind: 'respiratory_rate' }, baseline_vitals: { kind: 'heart_rate', baseline: true },
    alt: { kind: 'alt' }, ast: { kind: 'ast' }, total_bilirubin: { kind: 'bilirubin_total' }, ck: { kind: 'ck' },
    anc: { kind: 'anc' }, creatinine: { kind: 'creatinine' }, potassium: { kind: 'potassium' },
    liver_disease_history: { path: '/context/liver_disease' }, iv_access: { path: '/context/iv_access' },
    rigidity_grade: { path: '/findings/rigidity' }, mental_status: { path: '/findings/mental_status' },
    diaphoresis: { path: '/findings/diaphoresis' }, urinary_incontinence: { path: '/findings/urinary_incontinence' },
    serotonin_findings: { path: '/findings/spontaneous_clonus' }, anc_trend: { path: '/context/anc_expected_to_fall' },
    recent_chemotherapy: { path: '/context/recent_chemotherapy' }, enteral_route: { path: '/context/enteral_route_available' },
    penicillin_allergy: { path: '/context/penicillin_allergy' }, vancomycin_items: { path: '/context/suspected_catheter_infection' },
    gcsf_factors: { path: '/context/sepsis' }, antibiotic_start: { path: '/context/antibiotics_started_at' },
    expected_neutropenia_days: { path: '/context/expected_neutropenia_days' },
    workup_negative: { path: '/context/workup_negative_for_other_causes' }, mascc_items: { path: '/context/burden_of_illness' },
    ect_history: { list: 'proc' }, medication_list: { list: 'med' }, medication_timing: { list: 'med', member: 'start' },
    medication_identity: { list: 'med' }, prior_dantrolene_amount: { list: 'med', member: 'admin' },
  };

  // The control that supplies a missing item, adding a row where the item is a reading or a list entry.
  function targetControl(item) {
    const target = MISSING_TARGETS[item];
    if (!target) return null;
    if (target.path) return $(fieldId(target.path));
    if (target.kind) {
      const empty = Array.from(document.querySelectorAll('#obs-list .obs-row'))
        .find((row) => row.controls.kind.value === target.kind && row.controls.value.value === '');
      const row = empty || addObservation(target.kind);
      if (target.baseline) row.controls.baseline.checked = true;
      return row.controls.value;
    }
    const rows = Array.from(document.querySelectorAll(`#${target.list}-list > .row`));
    if (!rows.length) return $(`${target.list}-list-state`).closest('[hidden]') ? $(`${target.list}-add`) : $(`${target.list}-list-state`);
    if (target.member === 'start') return rows[0].controls.start;
    if (target.member === 'admin') return $(`${target.list}-add`);
    return rows[0].querySelector('input, select');
  }

  function renderMissing(report) {
    if (!report.missing_data.length) return null;
    const list = el('ul', { class: 'missing' }, report.missing_data.map((m) => {
      const link = el('a', { href: '#' + (MISSING_TARGETS[m.item] && MISSING_TARGETS[m.item].path ? fieldId(MISSING_TARGETS[m.item].path) : 'case-form'),
        class: 'missing-link', 'data-item': m.item,
        onclick: (ev) => { ev.preventDefault(); focusControl(targetControl(m.item)); } }, words(m.item));
      return el('li', { class: m.blocking ? 'blocking' : '' }, link, m.blocking ? el('strong', { text: ' (blocking)' }) : '', ': ', m.text);
    }));
    return section('missing-data', 'Missing data', false, el('p', { class: 'help', text: 'Each item links to the field that supplies it.' }), list);
  }

  function renderDifferential(report) {
    const shown = report.differential.filter((d) => d.status !== 'unlikely');
    const unlikely = report.differential.filter((d) => d.status === 'unlikely');
    const content = [];
    if (shown.length) {
      content.push(el('ul', { class: 'differential' }, shown.map((d) =>
        el('li', {}, el('strong', { text: `${words(d.status)}: ${words(d.condition)}. ` }), d.text))));
    }
    if (unlikely.length) content.push(el('p', { text: 'Unlikely: ' + unlikely.map((d) => words(d.condition)).join(', ') + '.' }));
    return section('differential', 'Differential diagnosis', false, ...content);
  }

  function renderNotes(report) {
    if (!report.notes.length) return null;
    return section('notes', 'Notes', false, el('ul', {}, report.notes.map((n) => el('li', { text: n.text }))));
  }

  function renderReferences(report) {
    if (!report.references.length) return null;
    return section('references', 'References', false, el('ul', { class: 'references' },
      report.references.map((r) => el('li', {}, el('span', { class: 'ref-id', text: `[${r.id}] ` }), r.citation))));
  }

  function renderReport(report) {
    const result = $('result');
    const meta = el('p', { class: 'meta print-keep' },
      `Patient ${report.patient_id} · assessed ${when(report.assessed_at)} · nmscds ${report.engine.version} · ` +
      `knowledge base ${report.knowledge_base.version} · protocol ${report.protocol}`);
    const actions = el('div', { class: 'result-actions print-skip' },
      el('button', { type: 'button', text: 'Print', onclick: () => window.print() }),
      el('button', { type: 'button', text: 'Download the report (JSON)',
        onclick: () => download(`nmscds-report-${report.patient_id}.json`, lastReportJson) }));
    result.replaceChildren(meta, renderDecision(report), renderDoNow(report), renderDoses(report) || '',
      renderSituation(report), renderSteps(report) || '', renderMonitoring(report) || '', renderWarnings(report) || '',
      renderMissing(report) || '', renderDifferential(report), renderNotes(report) || '', renderReferences(report) || '',
      el('p', { class: 'disclaimer print-keep', text: 'Decision support only; it does not replace clinical judgement.' }), actions);
    result.classList.remove('stale');
    result.hidden = false;
    $('result-placeholder').hidden = true;
    $('result-area').focus();
  }

  // ---- Start --------------------------------------------------------------------------------------------------

  function start() {
    buildSingleFields($('patient-fields'), PATIENT_FIELDS);
    buildGroups($('findings-fields'), FINDING_GROUPS, 'findings');
    buildGroups($('context-fields'), CONTEXT_GROUPS, 'context');
    $('obs-add-kind').replaceChildren(...optionsOf(KINDS.map(([k, label]) => [k, label])));
    $('obs-add').addEventListener('click', () => { addObservation($('obs-add-kind').value).controls.value.focus(); formChanged(); });
    $('med-add').addEventListener('click', () => { addMedication().controls.name.focus(); formChanged(); });
    $('cond-add').addEventListener('click', () => { addCondition().controls.text.focus(); formChanged(); });
    $('proc-add').addEventListener('click', () => { addProcedure().controls.time.focus(); formChanged(); });
    $('case-form').addEventListener('submit', assess);
    $('case-form').addEventListener('input', formChanged);
    $('case-form').addEventListener('change', formChanged);
    $('tz').addEventListener('change', changeZone);
    $('file').addEventListener('change', (ev) => { openFile(ev.target.files[0]); ev.target.value = ''; });
    $('paste-load').addEventListener('click', () => loadDocumentText($('paste').value, 'The pasted JSON'));
    $('save-case').addEventListener('click', saveCase);
    $('new-case').addEventListener('click', newCase);
    $('bundle-to-form').addEventListener('click', bundleToForm);
    $('leave-bundle').addEventListener('click', () => { leaveBundleMode(); clearResult(); setLoadStatus('The form is in use again.'); });
    document.addEventListener('dragover', (ev) => { ev.preventDefault(); document.body.classList.add('dragging'); });
    document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
    document.addEventListener('drop', (ev) => {
      ev.preventDefault();
      document.body.classList.remove('dragging');
      if (ev.dataTransfer && ev.dataTransfer.files.length) openFile(ev.dataTransfer.files[0]);
    });
    newCase();
    setLoadStatus('');
    updateListStates();
    fetch('healthz', { cache: 'no-store' }).then((r) => { noteAuthHeader(r); return r.json(); })
      .then((h) => { if (h.auth === 'disabled') { authDisabled = true; $('auth-banner').hidden = false; } }).catch(() => {});
    loadDrugCatalogue();
  }

  start();
})();

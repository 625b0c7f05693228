/*
 * site-gen's search worker: Material for MkDocs' own search worker, with two additions.
 *
 * 1. Every word indexed and every word searched also counts as its variants (`variants`, the same
 *    function as site_gen/i18n/search.py): the word without diacritics ("zoë" is also "zoe") and,
 *    for Chinese and Japanese, which run words together, the overlapping pairs of characters of
 *    each run ("第一批电车": "第一", "一批", "批电", "电车"). A reader finds Zoë typing Zoe, and 王芳
 *    in a sentence that holds her name; an exact query still matches (and scores higher).
 *
 * 2. For a large briefing, the lunr index is made from
 * search/prebuilt_index.json (written at build time by site_gen/search_prebuilt.py) instead of
 * being built in the reader's browser, which takes seconds for a briefing of thousands of records.
 *
 * Material's worker is loaded unchanged (the page names it: ?material=search.<hash>.min.js) and
 * still does everything else: it receives search_index.json from the page, searches, ranks and
 * highlights. Only lunr's Builder is short-circuited while Material builds its index: `add`
 * records the documents and `build` returns the same lunr.Index made from the prebuilt term lists.
 * What the file does not carry, the token positions used to highlight matches (and Material's
 * position tables), is computed by Material's own tokenizer for the documents a query can match,
 * before lunr runs the query, so that results are exactly those of an index built in the browser.
 *
 * The index is built in the browser as before whenever something does not fit: no prebuilt file,
 * a search_index.json from another build (both files carry the same token in their
 * configuration), or a document whose words differ from the prebuilt ones. Search is then
 * slower, never different.
 */
(function () {
  "use strict"

  const here = new URL(self.location.href)
  const material = here.searchParams.get("material") || ""
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(material))
    throw new Error("site-gen search worker: bad ?material= parameter")

  const VERSION = 2
  const TOKEN = "site_gen_prebuilt"
  const SELFTEST = "site-gen-search-selftest"
  const PATIENCE_MS = 5000
  const WARNING = "site-gen search: the prebuilt index does not fit, building it in the browser:"

  /* Fetch the prebuilt index at once, while the page fetches search_index.json (if there is one) */
  const prebuilt = here.searchParams.get("prebuilt") !== "1" ? Promise.resolve(null)
    : fetch(new URL("../../../search/prebuilt_index.json", here))
      .then(function (res) { return res.ok ? res.json() : null })
      .catch(function () { return null })

  /* Hold every message for Material's worker until the prebuilt index has arrived (or not) */
  let held = []
  let loaded = null
  let plan = null          /* the prebuilt index for the next index Material builds */
  let state = null         /* the prebuilt index in use */
  let passing = false
  self.addEventListener("message", function (ev) {
    if (passing)
      return
    ev.stopImmediatePropagation()
    if (held === null)
      return receive(ev.data)
    held.push(ev.data)
    /* The page has its search index: do not let a stalled request hold the search up */
    if (ev.data && ev.data.type === 0)
      setTimeout(function () { release(null) }, PATIENCE_MS)
  })
  prebuilt.then(release)

  function release(data) {
    if (held === null)
      return
    loaded = data
    const messages = held
    held = null
    for (const message of messages)
      receive(message)
  }

  function receive(message) {
    if (message && message.type === SELFTEST) {
      postMessage({ type: SELFTEST, data: selftest() })
      return
    }
    if (message && message.type === 0 && message.data)      /* SearchMessageType.SETUP */
      plan = usable(loaded, message.data) ? { data: loaded, docs: message.data.docs } : null
    passing = true
    try {
      self.dispatchEvent(new MessageEvent("message", { data: message }))
    } finally {
      passing = false
    }
  }

  /* The prebuilt file belongs to this search_index.json: same configuration and build token */
  function usable(data, index) {
    return !!(data && data.version === VERSION && Array.isArray(data.terms) && index.config &&
      typeof index.config[TOKEN] === "string" &&
      JSON.stringify(data.config) === JSON.stringify(index.config) &&
      Array.isArray(index.docs) && index.docs.length === data.docs)
  }

  /* Material's worker: defines self.lunr and handles the messages passed on */
  importScripts(material)
  const lunr = self.lunr
  const Builder = lunr.Builder.prototype
  const originalAdd = Builder.add
  const originalBuild = Builder.build

  /* ----------------------------------------------------------------------
   * Variants of each word: without diacritics, and Chinese/Japanese character pairs
   * ------------------------------------------------------------------- */

  const FOLD = { "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t", "ß": "ss", "æ": "ae",
                 "œ": "oe", "þ": "th", "ð": "d" }
  const MARKS = /[\u0300-\u036f]/g
  const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g

  function fold(word) {
    let out = ""
    for (const ch of word)
      out += FOLD[ch] || ch
    return out.normalize("NFKD").replace(MARKS, "").normalize("NFC")
  }

  function variantWords(word) {
    const out = [word]
    const folded = fold(word)
    if (folded !== word)
      out.push(folded)
    for (const run of folded.match(CJK) || []) {
      const chars = Array.from(run)
      if (chars.length === 1)
        out.push(run)
      for (let i = 0; i + 1 < chars.length; i++)
        out.push(chars[i] + chars[i + 1])
    }
    const seen = new Set()
    return out.filter(function (w) { return w && !seen.has(w) && seen.add(w) })
  }

  function variants(token) {
    const words = variantWords(token.toString())
    if (words.length === 1)
      return token
    return words.map(function (w, i) { return i === 0 ? token : token.clone(function () { return w }) })
  }
  lunr.Pipeline.registerFunction(variants, "siteGenVariants")

  /* Material configures its builder, then adds the documents: the variants go last in both pipelines */
  function withVariants(builder) {
    if (builder._siteGenVariants)
      return
    builder._siteGenVariants = true
    builder.pipeline.add(variants)
    builder.searchPipeline.add(variants)
  }

  /* ----------------------------------------------------------------------
   * lunr.Builder, short-circuited while Material builds its index
   * ------------------------------------------------------------------- */

  Builder.add = function (doc, attributes) {
    withVariants(this)
    if (this._siteGen === undefined) {
      this._siteGen = plan && plan.docs[0] === doc
        ? { data: plan.data, docs: plan.docs, attributes: [] }
        : null
      plan = null
    }
    const st = this._siteGen
    if (st === null)
      return originalAdd.call(this, doc, attributes)
    if (st.docs[st.attributes.length] !== doc) {
      console.warn(WARNING, "other documents")
      this._siteGen = null
      replay(this, st)
      return originalAdd.call(this, doc, attributes)
    }
    st.attributes.push(attributes)
  }

  Builder.build = function () {
    const st = this._siteGen
    if (!st)
      return originalBuild.call(this)
    try {
      return fromPrebuilt(this, st)
    } catch (err) {
      console.warn(WARNING, err)
      this._siteGen = null
      replay(this, st)
      return originalBuild.call(this)
    }
  }

  /* Add the recorded documents the way lunr would have */
  function replay(builder, st) {
    for (let i = 0; i < st.attributes.length; i++)
      originalAdd.call(builder, st.docs[i], st.attributes[i])
  }

  /*
   * The lunr.Index that Builder.build would return, made from the prebuilt term lists. Its parts
   * are made when lunr first reads them: a term's posting when a query expands to the term, a
   * field vector when a query scores that field of that document.
   */
  function fromPrebuilt(builder, st) {
    const data = st.data
    const fields = Object.keys(builder._fields)
    const nf = fields.length
    const count = st.attributes.length
    if (count !== data.docs || JSON.stringify(fields) !== JSON.stringify(data.fields))
      throw new Error("other documents or fields")
    const refs = new Array(count)
    const position = new Map()
    for (let d = 0; d < count; d++) {
      refs[d] = String(st.docs[d][builder._ref])
      position.set(refs[d], d)
    }
    if (position.size !== count)
      throw new Error("two documents with the same reference")
    const terms = data.terms
    const nt = terms.length
    const termNumber = new Map()
    for (let t = 0; t < nt; t++)
      termNumber.set(terms[t], t)
    if (termNumber.size !== nt)
      throw new Error("a term listed twice")

    /* The postings: term t in field f is in documents docOf[f][e], e = first[f][t] … first[f][t + 1] - 1 */
    const first = [], docOf = [], tfOf = []
    const lengths = new Float64Array(count * nf)      /* Builder.fieldLengths */
    const withTerm = new Float64Array(nt)             /* documents with the term (lunr.idf) */
    const cells = new Int32Array(count * nf + 1)      /* terms in each field of each document */
    for (let f = 0; f < nf; f++) {
      const lists = data.postings[f]
      let size = 0
      for (let t = 0; t < nt; t++)
        size += lists[t].length
      const starts = first[f] = new Int32Array(nt + 1)
      const docs = docOf[f] = new Int32Array(size)
      const tfs = tfOf[f] = new Int32Array(size)
      let e = 0
      for (let t = 0; t < nt; t++) {
        starts[t] = e
        const list = lists[t]
        for (let i = 0, doc = 0; i < list.length; i++) {
          let entry = list[i], tf = 1
          if (entry < 0) {
            entry = -entry - 1
            tf = list[++i]
          }
          doc += entry
          if (!(doc < count) || !(tf > 0) || (e > starts[t] && !(entry > 0)))
            throw new Error("a malformed posting")
          docs[e] = doc
          tfs[e++] = tf
          lengths[doc * nf + f] += tf
          cells[doc * nf + f + 1]++
        }
        withTerm[t] += e - starts[t]
      }
      starts[nt] = e
    }

    /* Builder.calculateAverageFieldLengths (every document has every field) */
    const average = new Float64Array(nf)
    for (let f = 0; f < nf; f++) {
      let sum = 0
      for (let d = 0; d < count; d++)
        sum += lengths[d * nf + f]
      average[f] = sum / count
    }

    /* The same postings by document and field, in term order (lunr.Vector's order) */
    for (let c = 1; c < cells.length; c++)
      cells[c] += cells[c - 1]
    const fill = cells.slice(0, count * nf)
    const termAt = new Int32Array(cells[count * nf]), tfAt = new Int32Array(cells[count * nf])
    for (let t = 0; t < nt; t++)
      for (let f = 0; f < nf; f++)
        for (let e = first[f][t]; e < first[f][t + 1]; e++) {
          const k = fill[docOf[f][e] * nf + f]++
          termAt[k] = t
          tfAt[k] = tfOf[f][e]
        }

    /* Builder.createFieldVectors for one field of one document, with lunr's arithmetic */
    const k1 = builder._k1, b = builder._b
    const idf = new Float64Array(nt)
    for (let t = 0; t < nt; t++) {
      const x = (count - withTerm[t] + 0.5) / (withTerm[t] + 0.5)
      idf[t] = Math.log(1 + Math.abs(x))
    }
    function vector(doc, f) {
      const cell = doc * nf + f
      const fieldLength = lengths[cell]
      const fieldBoost = builder._fields[fields[f]].boost || 1
      const docBoost = (st.attributes[doc] || {}).boost || 1
      const elements = []
      for (let k = cells[cell]; k < cells[cell + 1]; k++) {
        const tf = tfAt[k]
        let score = idf[termAt[k]] * ((k1 + 1) * tf) / (k1 * (1 - b + b * (fieldLength / average[f])) + tf)
        score *= fieldBoost
        score *= docBoost
        elements.push(termAt[k], Math.round(score * 1000) / 1000)
      }
      return new lunr.Vector(elements)
    }

    /* Builder.fieldVectors ("field/ref" → lunr.Vector), each made on first use */
    const joiner = lunr.FieldRef.joiner
    const fieldNumber = new Map(fields.map(function (name, f) { return [name, f] }))
    const vectors = new Map()
    let keys = null
    function fieldVector(key) {
      if (typeof key !== "string")
        return undefined
      let made = vectors.get(key)
      if (made === undefined) {
        const at = key.indexOf(joiner)
        const f = fieldNumber.get(key.slice(0, at)), doc = position.get(key.slice(at + 1))
        if (at < 0 || f === undefined || doc === undefined)
          return undefined
        vectors.set(key, made = vector(doc, f))
      }
      return made
    }
    const fieldVectors = new Proxy({}, {
      get: function (target, key) { return fieldVector(key) },
      has: function (target, key) { return fieldVector(key) !== undefined },
      ownKeys: function () {
        if (keys === null) {
          keys = []
          for (let d = 0; d < count; d++)
            for (let f = 0; f < nf; f++)
              keys.push(fields[f] + joiner + refs[d])
        }
        return keys.slice()
      },
      getOwnPropertyDescriptor: function (target, key) {
        const value = fieldVector(key)
        return value === undefined ? undefined
          : { value: value, writable: true, enumerable: true, configurable: true }
      }
    })

    /* Builder.invertedIndex (term → posting), each posting made on first use */
    const unknown = Object.freeze(Object.create(null))
    const invertedIndex = Object.create(null)
    const made = new Uint8Array(nt)
    const waiting = new Map()         /* term → [field, document, metadata] found before its posting was made */
    function posting(t) {
      const value = Object.create(null)
      value["_index"] = t
      for (let f = 0; f < nf; f++) {
        const byRef = value[fields[f]] = Object.create(null)
        for (let e = first[f][t]; e < first[f][t + 1]; e++)
          byRef[refs[docOf[f][e]]] = unknown
      }
      for (const [f, doc, metadata] of waiting.get(t) || [])
        value[fields[f]][refs[doc]] = metadata
      waiting.delete(t)
      define(t, value)
      return value
    }
    function define(t, value) {
      made[t] = 1
      Object.defineProperty(invertedIndex, terms[t],
        { value: value, writable: true, enumerable: true, configurable: true })
    }
    for (let t = 0; t < nt; t++)
      Object.defineProperty(invertedIndex, terms[t], {
        get: function () { return posting(t) },
        set: function (value) { define(t, value) },
        enumerable: true,
        configurable: true
      })

    const index = new lunr.Index({
      invertedIndex: invertedIndex,
      fieldVectors: fieldVectors,
      tokenSet: lunr.TokenSet.fromArray(terms.slice().sort()),
      fields: fields,
      pipeline: builder.searchPipeline
    })

    /* The number of times term t is in field f of document doc (0: not at all) */
    function frequency(t, f, doc) {
      const docs = docOf[f]
      let low = first[f][t], high = first[f][t + 1] - 1
      while (low <= high) {
        const middle = (low + high) >> 1
        if (docs[middle] < doc)
          low = middle + 1
        else if (docs[middle] > doc)
          high = middle - 1
        else
          return tfOf[f][middle]
      }
      return 0
    }

    state = {
      builder: builder, st: st, index: index, fields: fields, fieldNumber: fieldNumber, refs: refs,
      termNumber: termNumber, first: first, docOf: docOf, frequency: frequency, lengths: lengths,
      made: made, waiting: waiting, done: new Uint8Array(count), tables: new Array(count * nf)
    }
    index.query = query
    return index
  }

  /* ----------------------------------------------------------------------
   * Token positions, for the documents a query can match
   * ------------------------------------------------------------------- */

  function query(fn) {
    if (state !== null && this === state.index)
      try {
        prepare(this, fn)
      } catch (err) {
        console.warn(WARNING, err)
        rebuild()
      }
    return lunr.Index.prototype.query.call(this, fn)
  }

  /*
   * Complete every document whose token positions lunr.Index.query will read: those in the
   * postings of the terms each clause (but a prohibited one) expands to, in the clause's fields.
   * The expansion is lunr's own (its pipeline, its token set), on a query made by the same
   * function, so the query then runs once, on documents that are exactly as lunr would have them.
   */
  function prepare(index, fn) {
    const query = new lunr.Query(index.fields)
    fn.call(query, query)
    for (const clause of query.clauses) {
      if (clause.presence === lunr.Query.presence.PROHIBITED)
        continue
      const terms = clause.usePipeline
        ? index.pipeline.runString(clause.term, { fields: clause.fields })
        : [clause.term]
      for (const term of terms) {
        clause.term = term
        const expanded = index.tokenSet.intersect(lunr.TokenSet.fromClause(clause)).toArray()
        for (const word of expanded) {
          const t = state.termNumber.get(word)
          if (t === undefined)
            throw new Error("a term that is not in the index: " + word)
          index.invertedIndex[word]      /* lunr reads the posting: make it before the positions */
          for (const name of clause.fields) {
            const f = state.fieldNumber.get(name)
            if (f === undefined)
              continue
            const docs = state.docOf[f]
            for (let e = state.first[f][t]; e < state.first[f][t + 1]; e++)
              complete(docs[e])
          }
        }
      }
    }
  }

  /* What Builder.add stores for a document beyond its terms: Material's position tables and lunr's token positions */
  function complete(doc) {
    if (doc === undefined)
      throw new Error("a result that is not a document")
    if (state.done[doc])
      return false
    const builder = state.builder, fields = state.fields, nf = fields.length
    const source = state.st.docs[doc], ref = state.refs[doc]
    const whitelist = builder.metadataWhitelist
    const found = []
    for (let f = 0; f < nf; f++) {
      const name = fields[f]
      const extractor = builder._fields[name].extractor
      /* Material's extractor registers the field's position table, which its tokenizer fills */
      lunr.tokenizer.table = undefined
      const value = extractor ? extractor(source) : source[name]
      if (!Array.isArray(lunr.tokenizer.table))
        lunr.tokenizer.table = []
      state.tables[doc * nf + f] = lunr.tokenizer.table
      const terms = builder.pipeline.run(builder.tokenizer(value, { fields: [name] }))
      if (terms.length !== state.lengths[doc * nf + f])
        throw new Error("other words in " + ref)
      const metadata = new Map()
      for (const term of terms) {
        const word = term.toString()
        let entry = metadata.get(word)
        if (entry === undefined)
          metadata.set(word, entry = { term: word, count: 0, value: Object.create(null) })
        entry.count++
        for (const key of whitelist) {
          if (entry.value[key] == undefined)
            entry.value[key] = []
          entry.value[key].push(term.metadata[key])
        }
      }
      for (const entry of metadata.values()) {
        const t = state.termNumber.get(entry.term)
        if (t === undefined || state.frequency(t, f, doc) !== entry.count)
          throw new Error("other words in " + ref)
        found.push([t, f, entry.value])
      }
    }
    const invertedIndex = state.index.invertedIndex, terms = state.st.data.terms
    for (const [t, f, value] of found)
      if (state.made[t]) {
        invertedIndex[terms[t]][fields[f]][ref] = value
      } else {
        const list = state.waiting.get(t)
        if (list)
          list.push([f, doc, value])
        else
          state.waiting.set(t, [[f, doc, value]])
      }
    state.done[doc] = 1
    return true
  }

  /* Something did not fit: build the whole index the way Material does, in place */
  function rebuild() {
    const builder = state.builder, st = state.st, index = state.index
    state = null
    builder._siteGen = null
    replay(builder, st)
    const built = originalBuild.call(builder)
    index.invertedIndex = built.invertedIndex
    index.fieldVectors = built.fieldVectors
    index.tokenSet = built.tokenSet
    delete index.query
  }

  /* ----------------------------------------------------------------------
   * Self-test (site-gen's tests): the index and position tables equal those built in the browser
   * ------------------------------------------------------------------- */

  function selftest() {
    if (state === null)
      return { prebuilt: false }
    const builder = state.builder, st = state.st, index = state.index
    for (let d = 0; d < state.refs.length; d++)
      complete(d)
    const tables = state.tables.map(function (table) { return JSON.stringify(table) })
    const prebuiltIndex = JSON.stringify(index.toJSON())
    /* A second builder configured like Material's, fed the same documents */
    const reference = new lunr.Builder()
    for (const key of ["_ref", "_fields", "tokenizer", "pipeline", "searchPipeline",
                       "metadataWhitelist", "_b", "_k1"])
      reference[key] = builder[key]
    reference._siteGen = null
    const referenceTables = []
    const fields = state.fields
    for (let d = 0; d < st.attributes.length; d++) {
      originalAdd.call(reference, st.docs[d], st.attributes[d])
      for (const name of fields) {
        lunr.tokenizer.table = []
        reference.tokenizer(reference._fields[name].extractor(st.docs[d]), { fields: [name] })
        referenceTables.push(JSON.stringify(lunr.tokenizer.table))
      }
    }
    const built = originalBuild.call(reference)
    let sameTables = tables.length === referenceTables.length
    for (let i = 0; i < tables.length && sameTables; i++)
      sameTables = tables[i] === referenceTables[i]
    return {
      prebuilt: true,
      documents: state.refs.length,
      sameIndex: JSON.stringify(built.toJSON()) === prebuiltIndex,
      sameTables: sameTables
    }
  }
})()

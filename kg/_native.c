/* Byte-level loops of the build's merge and graph files, in C.

   The build handles every triple of the graph as a sorted N-Triples line, tens of millions of
   them; per line, Python costs microseconds where these loops cost tens of nanoseconds. Each
   function has a pure-Python counterpart in kg.pieces / kg.rdf.turtle that gives the same
   bytes, and the tests hold the two to that.

   turtle(nt, prefixes): the Turtle Oxigraph writes for sorted, unique N-Triples lines (one
       block per subject, `;` between predicates, `,` between objects, prefixed names, `a`,
       inline integers, booleans and decimals), each block followed by a blank line. Returns None when a
       line holds anything whose Turtle form is not certain here (a blank node, an escape other
       than the canonical ones, an upper-case language tag, a local name needing escapes, a
       double, a decimal not in Turtle's DECIMAL form): the caller then asks Oxigraph itself.
   document_block(lines): a document's lines (str) -> its sorted, unique UTF-8 lines, one bytes.
   merge_blocks(blocks): sorted blocks of lines -> one sorted block (a batch's run), repeats kept.
   plan_blocks(runs, step) and merge_slices(fds, starts, ends): the merge of a full build's runs
       cut into blocks at subjects, each merged on its own (by the writers, in parallel).
   segment(block, span, prefixes): a block of merged lines counted, cut into the graph's pieces
       and each whole piece rendered but for its compression (kg.pieces.render's bytes).
   release(fds, froms, tos): the whole pages of each run's [from, to) freed (a hole punched), as
       soon as the merge has read them: their memory goes to the graph files written meanwhile.
   count_adjacent(block): sorted lines, repeats adjacent -> (the distinct lines, how many times
       each came, as uint32 values): the merged runs counted without `uniq -c` and without a
       Python object per line.
   stored_lines(lines, canonical, learned): a resource's lines of the graph file as the store
       holds them (kg.stores.prepared.as_stored): split once into their subjects, predicates and
       linked IRIs, typed literals put in the forms the tables give (the ones neither knows are
       handed back to be learned), the lines re-sorted when a form changed one.
   reached_terms(...): the walk of kg.web.prepared over those lines (who is reached from the
       resource along links to its parts) and the IRIs of their terms, decoded.
*/

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/falloc.h>
#endif

/* --- a growing output buffer ------------------------------------------------------------- */

typedef struct {
    char *data;
    Py_ssize_t size, capacity;
} Buffer;

/* Buffers grow with plain realloc, so they are used without the GIL held; on failure they
   return -1 and set no Python error (the caller does, once it holds the GIL again). */
static int buffer_reserve(Buffer *b, Py_ssize_t extra) {
    if (b->size + extra <= b->capacity)
        return 0;
    Py_ssize_t capacity = b->capacity ? b->capacity : 1 << 16;
    while (capacity < b->size + extra)
        capacity *= 2;
    char *data = realloc(b->data, capacity);
    if (data == NULL)
        return -1;
    b->data = data;
    b->capacity = capacity;
    return 0;
}

static int buffer_add(Buffer *b, const char *data, Py_ssize_t size) {
    if (buffer_reserve(b, size) < 0)
        return -1;
    memcpy(b->data + b->size, data, size);
    b->size += size;
    return 0;
}

#define ADD_LITERAL(b, s) buffer_add((b), (s), (Py_ssize_t)(sizeof(s) - 1))

/* --- terms ---------------------------------------------------------------------------------- */

typedef struct {
    const char *ns, *name;
    Py_ssize_t ns_size, name_size;
} Prefix;

typedef struct {
    Prefix *items;
    Py_ssize_t count;
} Prefixes;

static const char RDF_TYPE[] = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";
static const char XSD[] = "http://www.w3.org/2001/XMLSchema#";

enum { OK = 0, UNSURE = 1, FAILED = -1 };

static int is_alnum(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A local name Oxigraph writes as it is: [A-Za-z0-9_][A-Za-z0-9_-]*. */
static int plain_local(const char *s, Py_ssize_t n) {
    if (n == 0 || !(is_alnum((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (Py_ssize_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(is_alnum(c) || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* An IRI term `<...>`: prefixed when a namespace starts it and the rest is a plain local name. */
static int write_iri(Buffer *out, const char *term, Py_ssize_t size, const Prefixes *prefixes) {
    const char *iri = term + 1;
    Py_ssize_t n = size - 2;
    if (size < 2 || term[0] != '<' || term[size - 1] != '>' || memchr(iri, '\\', n) != NULL)
        return UNSURE;
    for (Py_ssize_t i = 0; i < prefixes->count; i++) {
        const Prefix *p = &prefixes->items[i];
        if (n >= p->ns_size && memcmp(iri, p->ns, p->ns_size) == 0) {
            const char *local = iri + p->ns_size;
            Py_ssize_t local_size = n - p->ns_size;
            if (!plain_local(local, local_size))
                return UNSURE;
            if (buffer_add(out, p->name, p->name_size) < 0 || ADD_LITERAL(out, ":") < 0 ||
                buffer_add(out, local, local_size) < 0)
                return FAILED;
            return OK;
        }
    }
    return buffer_add(out, term, size) < 0 ? FAILED : OK;
}

/* End of a quoted string starting at s[0] == '"' (the index of its closing quote), or -1 when
   it holds an escape or a character Oxigraph would write otherwise than it is written here. */
static Py_ssize_t quoted_end(const char *s, Py_ssize_t n) {
    for (Py_ssize_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"')
            return i;
        if (c < 0x20 || c == 0x7F)
            return -1;
        if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
            ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF))
            return -1; /* U+FFFE, U+FFFF: Oxigraph escapes them */
        if (c == '\\') {
            if (i + 1 >= n)
                return -1;
            char e = s[i + 1];
            if (e == 't' || e == 'b' || e == 'n' || e == 'r' || e == 'f' || e == '"' || e == '\\') {
                i++;
                continue;
            }
            return -1; /* \u, \U: canonical only for some characters; leave them to Oxigraph */
        }
    }
    return -1;
}

static int is_integer(const char *s, Py_ssize_t n) {
    Py_ssize_t i = (n > 0 && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
    if (i >= n)
        return 0;
    for (; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Turtle's DECIMAL production, [+-]?[0-9]*\.[0-9]+: Oxigraph writes such an xsd:decimal bare. */
static int is_decimal(const char *s, Py_ssize_t n) {
    Py_ssize_t i = (n > 0 && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i >= n || s[i] != '.' || i + 1 >= n)
        return 0;
    for (i++; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int datatype_is(const char *dt, Py_ssize_t n, const char *local) {
    Py_ssize_t xsd = sizeof(XSD) - 1, size = (Py_ssize_t)strlen(local);
    return n == xsd + size + 2 && dt[0] == '<' && memcmp(dt + 1, XSD, xsd) == 0 &&
           memcmp(dt + 1 + xsd, local, size) == 0 && dt[n - 1] == '>';
}

static int write_object(Buffer *out, const char *term, Py_ssize_t size, const Prefixes *prefixes) {
    if (size == 0)
        return UNSURE;
    if (term[0] == '<')
        return write_iri(out, term, size, prefixes);
    if (term[0] != '"')
        return UNSURE; /* a blank node */
    Py_ssize_t end = quoted_end(term, size);
    if (end < 0)
        return UNSURE;
    const char *rest = term + end + 1;
    Py_ssize_t rest_size = size - end - 1;
    if (rest_size == 0)
        return buffer_add(out, term, size) < 0 ? FAILED : OK;
    if (rest[0] == '@') {
        if (rest_size < 2)
            return UNSURE;
        for (Py_ssize_t i = 1; i < rest_size; i++) {
            unsigned char c = (unsigned char)rest[i];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                return UNSURE; /* Oxigraph writes language tags in lower case */
        }
        return buffer_add(out, term, size) < 0 ? FAILED : OK;
    }
    if (rest_size < 4 || rest[0] != '^' || rest[1] != '^')
        return UNSURE;
    const char *dt = rest + 2, *value = term + 1;
    Py_ssize_t dt_size = rest_size - 2, value_size = end - 1;
    if (datatype_is(dt, dt_size, "decimal") && is_decimal(value, value_size))
        return buffer_add(out, value, value_size) < 0 ? FAILED : OK;
    if (datatype_is(dt, dt_size, "decimal") || datatype_is(dt, dt_size, "double"))
        return UNSURE;
    if ((datatype_is(dt, dt_size, "integer") && is_integer(value, value_size)) ||
        (datatype_is(dt, dt_size, "boolean") &&
         ((value_size == 4 && memcmp(value, "true", 4) == 0) ||
          (value_size == 5 && memcmp(value, "false", 5) == 0))))
        return buffer_add(out, value, value_size) < 0 ? FAILED : OK;
    if (buffer_add(out, term, end + 1) < 0)
        return FAILED;
    if (datatype_is(dt, dt_size, "string"))
        return OK;
    if (ADD_LITERAL(out, "^^") < 0)
        return FAILED;
    return write_iri(out, dt, dt_size, prefixes);
}

static int read_prefixes(PyObject *sequence, Prefixes *prefixes) {
    PyObject *items = PySequence_Fast(sequence, "prefixes must be a sequence of (name, namespace) bytes");
    if (items == NULL)
        return -1;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(items);
    prefixes->items = PyMem_Calloc(count ? count : 1, sizeof(Prefix));
    prefixes->count = count;
    if (prefixes->items == NULL) {
        Py_DECREF(items);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(items, i);
        PyObject *name, *ns;
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 ||
            !PyBytes_Check(name = PyTuple_GET_ITEM(pair, 0)) || !PyBytes_Check(ns = PyTuple_GET_ITEM(pair, 1))) {
            Py_DECREF(items);
            PyErr_SetString(PyExc_TypeError, "each prefix must be a (name, namespace) pair of bytes");
            return -1;
        }
        /* The tuple keeps the bytes alive: the caller holds it for the whole call. */
        prefixes->items[i] = (Prefix){PyBytes_AS_STRING(ns), PyBytes_AS_STRING(name),
                                      PyBytes_GET_SIZE(ns), PyBytes_GET_SIZE(name)};
    }
    Py_DECREF(items);
    return 0;
}

/* Subject, predicate and object of a line `S P O .` (no line end). */
static int split_line(const char *line, Py_ssize_t n, Py_ssize_t *s_end, Py_ssize_t *p_end) {
    if (n < 8 || line[0] != '<' || line[n - 1] != '.' || line[n - 2] != ' ')
        return UNSURE;
    const char *space = memchr(line, ' ', n);
    if (space == NULL || space[-1] != '>')
        return UNSURE;
    *s_end = space - line;
    const char *rest = space + 1;
    if (rest[0] != '<')
        return UNSURE;
    space = memchr(rest, ' ', line + n - rest);
    if (space == NULL || space[-1] != '>' || space - line + 1 >= n - 2)
        return UNSURE;
    *p_end = space - line;
    return OK;
}

static int render_turtle(const char *nt, Py_ssize_t size, const Prefixes *prefixes, Buffer *out) {
    const char *subject = NULL, *predicate = NULL;
    Py_ssize_t subject_size = 0, predicate_size = 0;
    const char *at = nt, *end = nt + size;
    while (at < end) {
        const char *eol = memchr(at, '\n', end - at);
        Py_ssize_t n = (eol ? eol : end) - at;
        Py_ssize_t s_end, p_end;
        if (n == 0) {
            at += 1;
            continue;
        }
        int status = split_line(at, n, &s_end, &p_end);
        if (status != OK)
            return status;
        const char *p = at + s_end + 1, *o = at + p_end + 1;
        Py_ssize_t p_size = p_end - s_end - 1, o_size = n - 2 - (p_end + 1);
        if (subject != NULL && s_end == subject_size && memcmp(at, subject, s_end) == 0) {
            if (p_size == predicate_size && memcmp(p, predicate, p_size) == 0) {
                if (ADD_LITERAL(out, " , ") < 0)
                    return FAILED;
            } else {
                if (ADD_LITERAL(out, " ;\n\t") < 0)
                    return FAILED;
                goto write_predicate;
            }
        } else {
            if (subject != NULL && ADD_LITERAL(out, " .\n\n") < 0)
                return FAILED;
            if ((status = write_iri(out, at, s_end, prefixes)) != OK)
                return status;
            if (ADD_LITERAL(out, " ") < 0)
                return FAILED;
        write_predicate:
            if (p_size == (Py_ssize_t)sizeof(RDF_TYPE) - 1 && memcmp(p, RDF_TYPE, p_size) == 0) {
                if (ADD_LITERAL(out, "a") < 0)
                    return FAILED;
            } else if ((status = write_iri(out, p, p_size, prefixes)) != OK) {
                return status;
            }
            if (ADD_LITERAL(out, " ") < 0)
                return FAILED;
        }
        if ((status = write_object(out, o, o_size, prefixes)) != OK)
            return status;
        subject = at;
        subject_size = s_end;
        predicate = p;
        predicate_size = p_size;
        at += n + 1;
    }
    if (subject != NULL && ADD_LITERAL(out, " .\n\n") < 0)
        return FAILED;
    return OK;
}

static PyObject *turtle(PyObject *module, PyObject *args) {
    (void)module;
    Py_buffer nt;
    PyObject *prefix_pairs;
    if (!PyArg_ParseTuple(args, "y*O:turtle", &nt, &prefix_pairs))
        return NULL;
    Prefixes prefixes = {NULL, 0};
    Buffer out = {NULL, 0, 0};
    PyObject *result = NULL;
    if (read_prefixes(prefix_pairs, &prefixes) == 0) {
        int status;
        Py_BEGIN_ALLOW_THREADS
        status = render_turtle(nt.buf, nt.len, &prefixes, &out);
        Py_END_ALLOW_THREADS
        if (status == FAILED && !PyErr_Occurred())
            PyErr_NoMemory();
        if (status == OK)
            result = PyBytes_FromStringAndSize(out.data, out.size);
        else if (status == UNSURE)
            result = Py_NewRef(Py_None);
    }
    PyMem_Free(prefixes.items);
    free(out.data);
    PyBuffer_Release(&nt);
    return result;
}

/* --- counted lines ---------------------------------------------------------------------- */

static PyObject *count_adjacent(PyObject *module, PyObject *args) {
    (void)module;
    Py_buffer block;
    if (!PyArg_ParseTuple(args, "y*:count_adjacent", &block))
        return NULL;
    PyObject *result = NULL;
    Buffer distinct = {NULL, 0, 0}, counts = {NULL, 0, 0};
    int failed = 0;
    Py_BEGIN_ALLOW_THREADS
    const char *at = block.buf, *end = at + block.len;
    const char *previous = NULL;
    Py_ssize_t previous_size = 0;
    uint32_t count = 0;
    /* Whole lines only: a last line without its line end is not counted, as in Python. */
    while (at < end && !failed) {
        const char *eol = memchr(at, '\n', end - at);
        if (eol == NULL)
            break;
        Py_ssize_t size = eol - at;
        if (previous != NULL && size == previous_size && memcmp(at, previous, size) == 0) {
            count++;
        } else {
            if (previous != NULL)
                failed = buffer_add(&distinct, previous, previous_size + 1) < 0 ||
                         buffer_add(&counts, (const char *)&count, sizeof count) < 0;
            previous = at;
            previous_size = size;
            count = 1;
        }
        at = eol + 1;
    }
    if (previous != NULL && !failed)
        failed = buffer_add(&distinct, previous, previous_size + 1) < 0 ||
                 buffer_add(&counts, (const char *)&count, sizeof count) < 0;
    Py_END_ALLOW_THREADS
    if (failed)
        PyErr_NoMemory();
    else
        result = Py_BuildValue("(y#y#)", distinct.data ? distinct.data : "", distinct.size,
                               counts.data ? counts.data : "", counts.size);
    free(distinct.data);
    free(counts.data);
    PyBuffer_Release(&block);
    return result;
}

/* --- a document's lines and a batch's run ------------------------------------------------ */

typedef struct {
    const char *data;
    Py_ssize_t size;
} Line;

static int line_order(const Line *a, const Line *b) {
    Py_ssize_t common = a->size < b->size ? a->size : b->size;
    int order = memcmp(a->data, b->data, common);
    if (order != 0)
        return order;
    return (a->size > b->size) - (a->size < b->size);
}

static int line_compare(const void *a, const void *b) { return line_order(a, b); }

static PyObject *bytes_of_lines(const Line *lines, Py_ssize_t count, int unique) {
    Py_ssize_t size = 0;
    for (Py_ssize_t i = 0; i < count; i++)
        if (!unique || i == 0 || line_order(&lines[i], &lines[i - 1]) != 0)
            size += lines[i].size + 1;
    PyObject *result = PyBytes_FromStringAndSize(NULL, size);
    if (result == NULL)
        return NULL;
    char *out = PyBytes_AS_STRING(result);
    for (Py_ssize_t i = 0; i < count; i++)
        if (!unique || i == 0 || line_order(&lines[i], &lines[i - 1]) != 0) {
            memcpy(out, lines[i].data, lines[i].size);
            out += lines[i].size;
            *out++ = '\n';
        }
    return result;
}

static PyObject *document_block(PyObject *module, PyObject *arg) {
    (void)module;
    PyObject *items = PySequence_Fast(arg, "document_block takes a sequence of str");
    if (items == NULL)
        return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(items);
    Line *lines = PyMem_Malloc((count ? count : 1) * sizeof(Line));
    PyObject *result = NULL;
    if (lines == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *text = PySequence_Fast_GET_ITEM(items, i);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "document_block takes a sequence of str");
            goto done;
        }
        lines[i].data = PyUnicode_AsUTF8AndSize(text, &lines[i].size); /* kept by the str */
        if (lines[i].data == NULL)
            goto done;
    }
    qsort(lines, count, sizeof(Line), line_compare);
    result = bytes_of_lines(lines, count, 1);
done:
    PyMem_Free(lines);
    Py_DECREF(items);
    return result;
}

/* A cursor over one sorted block, for the merge's heap. */
typedef struct {
    Line line;
    const char *end;
} Cursor;

/* The line at `at` (every line of a block ends in a line end); 0 at the end of the block. */
static int cursor_next(Cursor *c, const char *at) {
    if (at >= c->end)
        return 0;
    const char *eol = memchr(at, '\n', c->end - at);
    c->line.data = at;
    c->line.size = eol - at;
    return 1;
}

static void sift_down(Cursor *heap, Py_ssize_t count, Py_ssize_t i) {
    for (;;) {
        Py_ssize_t smallest = i, left = 2 * i + 1, right = left + 1;
        if (left < count && line_order(&heap[left].line, &heap[smallest].line) < 0)
            smallest = left;
        if (right < count && line_order(&heap[right].line, &heap[smallest].line) < 0)
            smallest = right;
        if (smallest == i)
            return;
        Cursor swap = heap[i];
        heap[i] = heap[smallest];
        heap[smallest] = swap;
        i = smallest;
    }
}

static PyObject *merge_blocks(PyObject *module, PyObject *arg) {
    (void)module;
    PyObject *items = PySequence_Fast(arg, "merge_blocks takes a sequence of bytes");
    if (items == NULL)
        return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(items), total = 0, heap_size = 0;
    Cursor *heap = PyMem_Malloc((count ? count : 1) * sizeof(Cursor));
    PyObject *result = NULL;
    if (heap == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *block = PySequence_Fast_GET_ITEM(items, i);
        if (!PyBytes_Check(block)) {
            PyErr_SetString(PyExc_TypeError, "merge_blocks takes a sequence of bytes");
            goto done;
        }
        const char *data = PyBytes_AS_STRING(block);
        Py_ssize_t size = PyBytes_GET_SIZE(block);
        if (size > 0 && data[size - 1] != '\n') {
            PyErr_SetString(PyExc_ValueError, "each block must end with a line end");
            goto done;
        }
        total += size;
        heap[heap_size].end = data + size;
        if (cursor_next(&heap[heap_size], data))
            heap_size++;
    }
    for (Py_ssize_t i = heap_size / 2 - 1; i >= 0; i--)
        sift_down(heap, heap_size, i);
    result = PyBytes_FromStringAndSize(NULL, total);
    if (result == NULL)
        goto done;
    char *out = PyBytes_AS_STRING(result);
    while (heap_size > 0) {
        Line line = heap[0].line;
        memcpy(out, line.data, line.size);
        out += line.size;
        *out++ = '\n';
        if (!cursor_next(&heap[0], line.data + line.size + 1))
            heap[0] = heap[--heap_size];
        sift_down(heap, heap_size, 0);
    }
done:
    PyMem_Free(heap);
    Py_DECREF(items);
    return result;
}

/* --- the runs merged block by block, by the writers ------------------------------------------ */

typedef struct {
    char *data; /* mapped, to find where the blocks start; the merge itself reads with pread */
    size_t size;
    int fd;
} Mapped;

/* The first line start of data[from, size) whose line is not below `key` (size when none);
   `from` is a line start. */
static size_t lower_bound_from(const char *data, size_t size, size_t from, const Line *key) {
    size_t lo = from, hi = size; /* line starts: lines before lo are below key, from hi on not */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, start = mid;
        if (start > lo && data[start - 1] != '\n') {
            const char *eol = memchr(data + start, '\n', hi - start);
            start = eol ? (size_t)(eol - data) + 1 : hi;
        }
        if (start >= hi)
            start = lo; /* no line starts in [mid, hi): look at the one at lo */
        const char *eol = memchr(data + start, '\n', size - start);
        size_t line_end = eol ? (size_t)(eol - data) : size;
        Line line = {data + start, (Py_ssize_t)(line_end - start)};
        if (line_order(&line, key) < 0)
            lo = line_end + 1 > size ? size : line_end + 1;
        else
            hi = start;
    }
    return lo;
}

/* The line at the line start `at` (its end excluded). */
static Line line_at(const char *data, size_t size, size_t at) {
    const char *eol = memchr(data + at, '\n', size - at);
    Line line = {data + at, (Py_ssize_t)((eol ? (size_t)(eol - data) : size) - at)};
    return line;
}

/* lower_bound_from, probing ahead of `from` in growing steps first: the bound is usually near,
   and the pages near it are those already read. */
static size_t gallop_bound(const char *data, size_t size, size_t from, const Line *key) {
    if (from >= size)
        return size;
    Line first = line_at(data, size, from);
    if (line_order(&first, key) >= 0)
        return from;
    size_t low = from, step = 4096; /* low: a line start whose line is below key */
    for (;;) {
        size_t probe = low + step;
        if (probe >= size)
            return lower_bound_from(data, size, low, key);
        while (probe < size && data[probe - 1] != '\n')
            probe++;
        if (probe >= size)
            return lower_bound_from(data, size, low, key);
        Line line = line_at(data, size, probe);
        if (line_order(&line, key) >= 0) /* the bound is in (low, probe]: search there */
            return lower_bound_from(data, probe + (size_t)line.size + 1, low, key);
        low = probe;
        step *= 2;
    }
}

typedef struct {
    const Mapped *runs;
    Py_ssize_t count;
    const size_t *from, *to; /* each run's slice */
    int error; /* errno, or -3: out of memory */
} Part;

/* A cursor over a run's slice read with pread into a buffer of its own: touching every page of
   freshly written memory-mapped runs cost the kernel three times the merge itself here. */
typedef struct {
    Line line; /* valid until the cursor moves */
    int fd;
    off_t next, end; /* the next byte of the slice to read, and the slice's end */
    char *buffer;
    size_t capacity, used, position; /* unread bytes: [position, used) */
} ReadCursor;

#define READ_CHUNK ((size_t)256 << 10)

/* The next line: 1, 0 at the end of the slice, -1 on a read error (errno), -3 out of memory. */
static int read_next(ReadCursor *c) {
    for (;;) {
        char *start = c->buffer + c->position;
        char *eol = memchr(start, '\n', c->used - c->position);
        if (eol != NULL) {
            c->line.data = start;
            c->line.size = eol - start;
            c->position = (size_t)(eol - c->buffer) + 1;
            return 1;
        }
        if (c->next >= c->end)
            return 0; /* slices end at a line end: nothing is left over */
        memmove(c->buffer, start, c->used - c->position);
        c->used -= c->position;
        c->position = 0;
        if (c->capacity - c->used < READ_CHUNK / 2) { /* a line longer than the buffer */
            char *grown = realloc(c->buffer, c->capacity * 2);
            if (grown == NULL)
                return -3;
            c->buffer = grown;
            c->capacity *= 2;
        }
        size_t want = c->capacity - c->used;
        if ((off_t)want > c->end - c->next)
            want = (size_t)(c->end - c->next);
        ssize_t got = pread(c->fd, c->buffer + c->used, want, c->next);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            if (got == 0)
                errno = EIO; /* the run is shorter than it was */
            return -1;
        }
        c->used += (size_t)got;
        c->next += got;
    }
}

static void sift_down_read(ReadCursor **heap, Py_ssize_t count, Py_ssize_t i) {
    for (;;) {
        Py_ssize_t smallest = i, left = 2 * i + 1, right = left + 1;
        if (left < count && line_order(&heap[left]->line, &heap[smallest]->line) < 0)
            smallest = left;
        if (right < count && line_order(&heap[right]->line, &heap[smallest]->line) < 0)
            smallest = right;
        if (smallest == i)
            return;
        ReadCursor *swap = heap[i];
        heap[i] = heap[smallest];
        heap[smallest] = swap;
        i = smallest;
    }
}

/* Where a block's merged lines go: memory holding exactly the slices' bytes. */
typedef struct {
    char *data;
    size_t capacity, used;
} Sink;

static int sink_add(Sink *sink, const char *data, size_t size) {
    if (sink->used + size > sink->capacity) {
        errno = EIO; /* more than the runs' slices hold: they changed under the merge */
        return -1;
    }
    memcpy(sink->data + sink->used, data, size);
    sink->used += size;
    return 0;
}

/* Merge every run's slice of `part` into `sink`: 0, or sets part->error. */
static void merge_part_into(Part *part, Sink *sink) {
    Py_ssize_t n = part->count ? part->count : 1, heap_size = 0;
    ReadCursor *cursors = calloc((size_t)n, sizeof(ReadCursor));
    ReadCursor **heap = calloc((size_t)n, sizeof(ReadCursor *));
    int status = 0;
    if (cursors == NULL || heap == NULL) {
        status = -3;
        goto failed;
    }
    for (Py_ssize_t i = 0; i < part->count; i++) {
        if (part->to[i] <= part->from[i])
            continue;
        ReadCursor *c = &cursors[i];
        *c = (ReadCursor){{NULL, 0}, part->runs[i].fd, (off_t)part->from[i], (off_t)part->to[i],
                          malloc(READ_CHUNK), READ_CHUNK, 0, 0};
        if (c->buffer == NULL) {
            status = -3;
            goto failed;
        }
        if ((status = read_next(c)) < 0)
            goto failed;
        if (status == 1)
            heap[heap_size++] = c;
    }
    for (Py_ssize_t i = heap_size / 2 - 1; i >= 0; i--)
        sift_down_read(heap, heap_size, i);
    while (heap_size > 0) {
        Line line = heap[0]->line;
        if (sink_add(sink, line.data, (size_t)line.size) < 0 || sink_add(sink, "\n", 1) < 0) {
            status = -1;
            goto failed;
        }
        if ((status = read_next(heap[0])) < 0)
            goto failed;
        if (status == 0)
            heap[0] = heap[--heap_size];
        sift_down_read(heap, heap_size, 0);
    }
    goto done;
failed:
    part->error = status == -3 ? -3 : (errno ? errno : EIO);
done:
    if (cursors != NULL)
        for (Py_ssize_t i = 0; i < part->count; i++)
            free(cursors[i].buffer);
    free(cursors);
    free(heap);
}

/* Merge `part` into `out`, which holds exactly its slices' bytes: the bytes written. */
static size_t merge_into(Part *part, char *out, size_t capacity) {
    Sink sink = {out, capacity, 0};
    merge_part_into(part, &sink);
    return sink.used;
}

/* Open and map a run: 0, or -1 with an OSError set naming it. */
static int open_run(const char *name, Mapped *run) {
    int fd = open(name, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        PyErr_SetFromErrnoWithFilename(PyExc_OSError, name);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *run = (Mapped){NULL, (size_t)st.st_size, fd};
    if (st.st_size > 0) {
        void *data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (data == MAP_FAILED) {
            PyErr_SetFromErrnoWithFilename(PyExc_OSError, name);
            close(fd);
            return -1;
        }
        run->data = data;
    }
    return 0;
}

static void close_runs(Mapped *runs, Py_ssize_t opened) {
    for (Py_ssize_t i = 0; i < opened; i++) {
        if (runs[i].data != NULL)
            munmap(runs[i].data, runs[i].size);
        close(runs[i].fd);
    }
}

/* Where each block of the merge starts in each run: blocks of about `step` bytes in all, each
   starting at the first line of a subject (a key "S " sorts before every line of subject S and
   after every line of a subject before it). */
static PyObject *plan_blocks(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *paths;
    Py_ssize_t step;
    if (!PyArg_ParseTuple(args, "On:plan_blocks", &paths, &step))
        return NULL;
    if (step <= 0) {
        PyErr_SetString(PyExc_ValueError, "step must be positive");
        return NULL;
    }
    PyObject *items = PySequence_Fast(paths, "plan_blocks takes a sequence of paths");
    if (items == NULL)
        return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(items), opened = 0;
    Mapped *runs = PyMem_Calloc(count ? count : 1, sizeof(Mapped));
    PyObject *plan = NULL, *row = NULL;
    if (runs == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (; opened < count; opened++) {
        PyObject *name = NULL;
        if (!PyUnicode_FSConverter(PySequence_Fast_GET_ITEM(items, opened), &name))
            goto done;
        int status = open_run(PyBytes_AS_STRING(name), &runs[opened]);
        if (status == 0 && runs[opened].size > 0 && runs[opened].data[runs[opened].size - 1] != '\n') {
            PyErr_Format(PyExc_ValueError, "%s: a run must end with a line end", PyBytes_AS_STRING(name));
            close_runs(&runs[opened], 1);
            status = -1;
        }
        Py_DECREF(name);
        if (status < 0)
            goto done;
    }
    /* Subjects sampled from every run every `spacing` bytes, each standing for about that much
       of the merge; sorted, every so many of them is a boundary of about `step` bytes. The runs
       of a build hold lines alike, so the n-th samples of all runs would fall close together
       and cut the merge into clusters of tiny blocks between blocks of hundreds of MB (315 MB
       at 100,000 documents, for steps of 8 MB), the first block holding what every run has
       before its first sample. So each run's samples start from its start, a little further in
       from run to run (its share of the spacing): those of different runs interleave. Sampling
       more densely would do it too, but touches (and on disk reads) that many more of the
       runs' pages here, in one process, before any writer starts. */
    size_t total = 0;
    for (Py_ssize_t i = 0; i < count; i++)
        total += runs[i].size;
    size_t spacing = (size_t)step / 8 > 4096 ? (size_t)step / 8 : 4096, samples = 0;
    Line *keys = malloc((total / spacing + (size_t)count + 1) * sizeof(Line));
    size_t *bounds = PyMem_Calloc(count ? count : 1, sizeof(size_t));
    size_t *released = PyMem_Calloc(count ? count : 1, sizeof(size_t));
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    int failed = keys == NULL || bounds == NULL || released == NULL;
    for (Py_ssize_t i = 0; i < count && !failed; i++)
        for (size_t at = 1 + (size_t)((unsigned long long)(spacing - 1) * (unsigned long long)i / (unsigned long long)count);
             at < runs[i].size; at += spacing) {
            const char *data = runs[i].data;
            size_t start = at;
            while (start < runs[i].size && data[start - 1] != '\n')
                start++;
            if (start >= runs[i].size)
                break;
            const char *space = memchr(data + start, ' ', runs[i].size - start);
            keys[samples++] = (Line){data + start, space ? space - (data + start) + 1 : 0};
            at = start;
        }
    if (!failed)
        qsort(keys, samples, sizeof(Line), line_compare);
    plan = failed ? NULL : PyList_New(0);
    failed = plan == NULL;
    size_t gathered = 0;
    const Line *last_key = NULL;
    for (size_t k = 0; k <= samples && !failed; k++) {
        int final = k == samples;
        if (!final) {
            gathered += spacing;
            if (gathered < (size_t)step || (last_key != NULL && line_order(&keys[k], last_key) == 0))
                continue;
        }
        row = PyList_New(count);
        failed = row == NULL;
        for (Py_ssize_t i = 0; i < count && !failed; i++) {
            /* a row: where the block before the key ends in each run (the first row: 0) */
            size_t bound = final ? runs[i].size : gallop_bound(runs[i].data, runs[i].size, bounds[i], &keys[k]);
            PyObject *number = PyLong_FromSize_t(bounds[i]);
            failed = number == NULL;
            if (!failed)
                PyList_SET_ITEM(row, i, number);
            /* the pages before the previous bound are not read again (but for the samples,
               read already): given back, or this process would hold the runs' size */
            size_t release = bounds[i] & ~(page - 1);
            if (release > released[i]) {
                madvise(runs[i].data + released[i], release - released[i], MADV_DONTNEED);
                released[i] = release;
            }
            bounds[i] = bound;
        }
        failed = failed || PyList_Append(plan, row) < 0;
        Py_CLEAR(row);
        if (!final) {
            last_key = &keys[k];
            gathered = 0;
        }
    }
    if (!failed) { /* the last row: the runs' ends */
        row = PyList_New(count);
        failed = row == NULL;
        for (Py_ssize_t i = 0; i < count && !failed; i++) {
            PyObject *number = PyLong_FromSize_t(runs[i].size);
            failed = number == NULL;
            if (!failed)
                PyList_SET_ITEM(row, i, number);
        }
        failed = failed || PyList_Append(plan, row) < 0;
        Py_CLEAR(row);
    }
    free(keys);
    PyMem_Free(bounds);
    PyMem_Free(released);
    if (failed) {
        Py_CLEAR(plan);
        if (!PyErr_Occurred())
            PyErr_NoMemory();
    }
done:
    Py_XDECREF(row);
    close_runs(runs, opened);
    PyMem_Free(runs);
    Py_DECREF(items);
    return plan;
}

/* Ranges of open runs, as merge_slices and release take them: three sequences as long as each
   other (file descriptors, where each range starts, where it ends) read into arrays the caller
   frees with PyMem_Free. 0, or -1 with a Python error set. */
static int read_ranges(PyObject *args, const char *format, Py_ssize_t *count, int **fd, size_t **from,
                       size_t **to) {
    PyObject *fd_list, *from_list, *to_list;
    *fd = NULL;
    *from = *to = NULL;
    if (!PyArg_ParseTuple(args, format, &fd_list, &from_list, &to_list))
        return -1;
    PyObject *fds = PySequence_Fast(fd_list, "fds"), *froms = PySequence_Fast(from_list, "starts"),
             *tos = PySequence_Fast(to_list, "ends");
    int status = -1;
    if (fds == NULL || froms == NULL || tos == NULL)
        goto done;
    *count = PySequence_Fast_GET_SIZE(fds);
    if (PySequence_Fast_GET_SIZE(froms) != *count || PySequence_Fast_GET_SIZE(tos) != *count) {
        PyErr_SetString(PyExc_ValueError, "fds, starts and ends must be as long");
        goto done;
    }
    *fd = PyMem_Calloc(*count ? *count : 1, sizeof(int));
    *from = PyMem_Calloc(*count ? *count : 1, sizeof(size_t));
    *to = PyMem_Calloc(*count ? *count : 1, sizeof(size_t));
    if (*fd == NULL || *from == NULL || *to == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < *count; i++) {
        (*fd)[i] = (int)PyLong_AsLong(PySequence_Fast_GET_ITEM(fds, i));
        (*from)[i] = PyLong_AsSize_t(PySequence_Fast_GET_ITEM(froms, i));
        (*to)[i] = PyLong_AsSize_t(PySequence_Fast_GET_ITEM(tos, i));
        if (PyErr_Occurred())
            goto done;
    }
    status = 0;
done:
    if (status < 0) {
        PyMem_Free(*fd);
        PyMem_Free(*from);
        PyMem_Free(*to);
        *fd = NULL;
        *from = *to = NULL;
    }
    Py_XDECREF(fds);
    Py_XDECREF(froms);
    Py_XDECREF(tos);
    return status;
}

/* One block of the merge: the slices [starts[i], ends[i]) of the runs open as fds[i], merged. */
static PyObject *merge_slices(PyObject *module, PyObject *args) {
    (void)module;
    Py_ssize_t count = 0;
    int *fd;
    size_t *from, *to;
    if (read_ranges(args, "OOO:merge_slices", &count, &fd, &from, &to) < 0)
        return NULL;
    PyObject *result = NULL;
    Mapped *runs = PyMem_Calloc(count ? count : 1, sizeof(Mapped));
    if (runs == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    size_t total = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        runs[i].fd = fd[i];
        if (to[i] > from[i])
            total += to[i] - from[i];
    }
    result = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)total);
    if (result == NULL)
        goto done;
    Part part = {runs, count, from, to, 0};
    char *out = PyBytes_AS_STRING(result);
    size_t written = 0;
    Py_BEGIN_ALLOW_THREADS
    written = merge_into(&part, out, total);
    Py_END_ALLOW_THREADS
    if (part.error != 0 || written != total) {
        Py_CLEAR(result);
        if (part.error == -3)
            PyErr_NoMemory();
        else {
            errno = part.error ? part.error : EIO;
            PyErr_SetFromErrno(PyExc_OSError);
        }
    }
done:
    PyMem_Free(runs);
    PyMem_Free(fd);
    PyMem_Free(from);
    PyMem_Free(to);
    return result;
}

/* The pages of [froms[i], tos[i]) of the runs open as fds[i] freed: the part of each run that
   every block before has read. A page is freed once wholly read, so each range starts where the
   one before got to (a page boundary) and ends at the boundary at or below tos[i]; that is what
   is returned, per run. Where holes cannot be punched (another system, a file system without
   them) nothing is freed before the runs are deleted, and nothing else changes. */
static PyObject *release(PyObject *module, PyObject *args) {
    (void)module;
    Py_ssize_t count = 0;
    int *fd;
    size_t *from, *to;
    if (read_ranges(args, "OOO:release", &count, &fd, &from, &to) < 0)
        return NULL;
    size_t page = sysconf(_SC_PAGESIZE) > 0 ? (size_t)sysconf(_SC_PAGESIZE) : 4096;
    for (Py_ssize_t i = 0; i < count; i++) {
        from[i] = (from[i] + page - 1) / page * page;
        to[i] = to[i] / page * page;
        if (to[i] < from[i])
            to[i] = from[i];
    }
    Py_BEGIN_ALLOW_THREADS
#if defined(__linux__) && defined(FALLOC_FL_PUNCH_HOLE)
    for (Py_ssize_t i = 0; i < count; i++)
        if (to[i] > from[i])
            (void)fallocate(fd[i], FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)from[i],
                            (off_t)(to[i] - from[i]));
#endif
    Py_END_ALLOW_THREADS
    PyObject *result = PyList_New(count);
    for (Py_ssize_t i = 0; result != NULL && i < count; i++) {
        PyObject *at = PyLong_FromSize_t(to[i]);
        if (at == NULL)
            Py_CLEAR(result);
        else
            PyList_SET_ITEM(result, i, at);
    }
    PyMem_Free(fd);
    PyMem_Free(from);
    PyMem_Free(to);
    return result;
}

/* --- a block of merged lines cut into pieces ------------------------------------------------- */

static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

/* CRC-32 as zlib computes it (zlib.crc32). */
static uint32_t crc32_of(const char *data, Py_ssize_t size) {
    uint32_t c = 0xFFFFFFFFu;
    for (Py_ssize_t i = 0; i < size; i++)
        c = crc_table[(c ^ (unsigned char)data[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static Py_ssize_t subject_size(const Line *line) {
    const char *space = memchr(line->data, ' ', line->size);
    return space ? space - line->data : line->size;
}

/* Lines [from, to) as N-Triples (each with its line end) and their counts as uint32 values. */
static PyObject *lines_and_counts(const Line *lines, const uint32_t *counts, Py_ssize_t from, Py_ssize_t to) {
    PyObject *nt = bytes_of_lines(lines + from, to - from, 0);
    if (nt == NULL)
        return NULL;
    PyObject *numbers = PyBytes_FromStringAndSize((const char *)(counts + from), (to - from) * sizeof(uint32_t));
    if (numbers == NULL) {
        Py_DECREF(nt);
        return NULL;
    }
    PyObject *pair = PyTuple_Pack(2, nt, numbers);
    Py_DECREF(nt);
    Py_DECREF(numbers);
    return pair;
}

/* "index count" of each line given by more than one document, one a line, no last line end. */
static PyObject *shared_counts(const uint32_t *counts, Py_ssize_t from, Py_ssize_t to) {
    Buffer out = {NULL, 0, 0};
    char number[48];
    for (Py_ssize_t i = from; i < to; i++)
        if (counts[i] != 1) {
            int size = snprintf(number, sizeof number, "%s%zd %u", out.size ? "\n" : "", i - from, counts[i]);
            if (buffer_add(&out, number, size) < 0) {
                free(out.data);
                return PyErr_NoMemory();
            }
        }
    PyObject *result = PyBytes_FromStringAndSize(out.data ? out.data : "", out.size);
    free(out.data);
    return result;
}

static PyObject *piece_of(const Line *lines, const uint32_t *counts, Py_ssize_t from, Py_ssize_t to,
                          const Prefixes *prefixes) {
    PyObject *key = NULL, *nt = NULL, *ttl = NULL, *shared = NULL, *result = NULL;
    Buffer body = {NULL, 0, 0};
    key = PyBytes_FromStringAndSize(lines[from].data, subject_size(&lines[from]) + 1);
    nt = bytes_of_lines(lines + from, to - from, 0);
    shared = shared_counts(counts, from, to);
    if (key == NULL || nt == NULL || shared == NULL)
        goto done;
    int status = render_turtle(PyBytes_AS_STRING(nt), PyBytes_GET_SIZE(nt), prefixes, &body);
    if (status == FAILED) {
        PyErr_NoMemory();
        goto done;
    }
    if (status == UNSURE) {
        ttl = Py_NewRef(Py_None);
    } else {
        /* As kg.pieces.render: the blank line after each block moved before it. */
        ttl = PyBytes_FromStringAndSize(NULL, body.size);
        if (ttl == NULL)
            goto done;
        char *out = PyBytes_AS_STRING(ttl);
        out[0] = '\n';
        memcpy(out + 1, body.data, body.size - 1);
    }
    result = Py_BuildValue("(OnOOO)", key, to - from, nt, ttl, shared);
done:
    free(body.data);
    Py_XDECREF(key);
    Py_XDECREF(nt);
    Py_XDECREF(ttl);
    Py_XDECREF(shared);
    return result;
}

static PyObject *segment(PyObject *module, PyObject *args) {
    (void)module;
    Py_buffer block;
    PyObject *prefix_pairs;
    Py_ssize_t span;
    if (!PyArg_ParseTuple(args, "y*nO:segment", &block, &span, &prefix_pairs))
        return NULL;
    Prefixes prefixes = {NULL, 0};
    Line *lines = NULL;
    uint32_t *counts = NULL;
    Py_ssize_t *cuts = NULL;
    PyObject *pieces = NULL, *head = NULL, *tail = NULL, *result = NULL;
    if (span <= 0) {
        PyErr_SetString(PyExc_ValueError, "span must be positive");
        goto done;
    }
    if (read_prefixes(prefix_pairs, &prefixes) < 0)
        goto done;
    /* the distinct lines and their counts */
    const char *at = block.buf, *end = at + block.len;
    Py_ssize_t capacity = 1024, count = 0;
    lines = malloc(capacity * sizeof(Line));
    counts = malloc(capacity * sizeof(uint32_t));
    if (lines == NULL || counts == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    while (at < end) {
        const char *eol = memchr(at, '\n', end - at);
        if (eol == NULL)
            break; /* only whole lines */
        Line line = {at, eol - at};
        if (count > 0 && line_order(&lines[count - 1], &line) == 0) {
            counts[count - 1]++;
        } else {
            if (count == capacity) {
                capacity *= 2;
                Line *more_lines = realloc(lines, capacity * sizeof(Line));
                if (more_lines != NULL)
                    lines = more_lines;
                uint32_t *more_counts = realloc(counts, capacity * sizeof(uint32_t));
                if (more_counts != NULL)
                    counts = more_counts;
                if (more_lines == NULL || more_counts == NULL) {
                    PyErr_NoMemory();
                    goto done;
                }
            }
            lines[count] = line;
            counts[count++] = 1;
        }
        at = eol + 1;
    }
    /* the cuts: the first line of each subject whose CRC-32 is a multiple of the span */
    cuts = malloc((count + 1) * sizeof(Py_ssize_t));
    if (cuts == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t cut_count = 0, previous_size = -1;
    const char *previous = NULL;
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_ssize_t size = subject_size(&lines[i]);
        if (previous != NULL && size == previous_size && memcmp(previous, lines[i].data, size) == 0)
            continue;
        previous = lines[i].data;
        previous_size = size;
        if (crc32_of(lines[i].data, size) % (uint32_t)span == 0)
            cuts[cut_count++] = i;
    }
    Py_ssize_t first = cut_count ? cuts[0] : count;
    head = lines_and_counts(lines, counts, 0, first);
    pieces = PyList_New(0);
    if (head == NULL || pieces == NULL)
        goto done;
    for (Py_ssize_t c = 0; c + 1 < cut_count; c++) {
        PyObject *piece = piece_of(lines, counts, cuts[c], cuts[c + 1], &prefixes);
        if (piece == NULL || PyList_Append(pieces, piece) < 0) {
            Py_XDECREF(piece);
            goto done;
        }
        Py_DECREF(piece);
    }
    if (cut_count) {
        tail = lines_and_counts(lines, counts, cuts[cut_count - 1], count);
        if (tail == NULL)
            goto done;
    } else {
        tail = Py_NewRef(Py_None);
    }
    result = PyTuple_Pack(3, head, pieces, tail);
done:
    Py_XDECREF(head);
    Py_XDECREF(pieces);
    Py_XDECREF(tail);
    free(lines);
    free(counts);
    free(cuts);
    PyMem_Free(prefixes.items);
    PyBuffer_Release(&block);
    return result;
}

/* --- a resource's lines as the store holds them ------------------------------------------ */

static const char XSD_STRING_IRI[] = "http://www.w3.org/2001/XMLSchema#string";
static const char LANG_STRING_IRI[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

static int ends_with(const char *s, Py_ssize_t n, const char *tail, Py_ssize_t tail_size) {
    return n >= tail_size && memcmp(s + n - tail_size, tail, tail_size) == 0;
}

/* bytes.islower: some ASCII lower-case letter and no upper-case one. */
static int ascii_lower(const char *s, Py_ssize_t n) {
    int lower = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] >= 'A' && s[i] <= 'Z')
            return 0;
        if (s[i] >= 'a' && s[i] <= 'z')
            lower = 1;
    }
    return lower;
}

/* The last `"@` of s[0:n] (its index), or -1. */
static Py_ssize_t last_at_sign(const char *s, Py_ssize_t n) {
    for (Py_ssize_t i = n - 2; i >= 0; i--)
        if (s[i] == '"' && s[i + 1] == '@')
            return i;
    return -1;
}

/* The last `"^^<` of s[0:n] (its index), or -1. */
static Py_ssize_t last_datatype(const char *s, Py_ssize_t n) {
    for (Py_ssize_t i = n - 4; i >= 0; i--)
        if (s[i] == '"' && memcmp(s + i + 1, "^^<", 3) == 0)
            return i;
    return -1;
}

/* The stored form of `literal` from the first mapping that holds it (new reference), NULL with
   no error set when neither does, NULL with an error set when a lookup fails. */
static PyObject *canonical_of(PyObject *literal, PyObject *canonical, PyObject *learned) {
    PyObject *maps[2] = {canonical, learned};
    for (int i = 0; i < 2; i++) {
        if (maps[i] == Py_None)
            continue;
        PyObject *stored = PyDict_GetItemWithError(maps[i], literal); /* borrowed */
        if (stored != NULL) {
            if (!PyBytes_Check(stored)) {
                PyErr_SetString(PyExc_TypeError, "stored_lines: stored forms are bytes");
                return NULL;
            }
            return Py_NewRef(stored);
        }
        if (PyErr_Occurred())
            return NULL;
    }
    return NULL;
}

static int object_order(const void *a, const void *b) {
    PyObject *x = *(PyObject *const *)a, *y = *(PyObject *const *)b;
    Line lx = {PyBytes_AS_STRING(x), PyBytes_GET_SIZE(x)}, ly = {PyBytes_AS_STRING(y), PyBytes_GET_SIZE(y)};
    return line_order(&lx, &ly);
}

/* A set's new member from bytes; 0, or -1 with an error set. */
static int add_bytes(PyObject *set, const char *data, Py_ssize_t size) {
    PyObject *item = PyBytes_FromStringAndSize(data, size);
    if (item == NULL)
        return -1;
    int status = PySet_Add(set, item);
    Py_DECREF(item);
    return status;
}

static PyObject *stored_lines(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *lines, *canonical, *learned;
    if (!PyArg_ParseTuple(args, "O!OO:stored_lines", &PyList_Type, &lines, &canonical, &learned))
        return NULL;
    if (!PyDict_Check(canonical) || (learned != Py_None && !PyDict_Check(learned))) {
        PyErr_SetString(PyExc_TypeError, "stored_lines(lines, canonical, learned): dicts (learned may be None)");
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(lines);
    PyObject *result = NULL, *subject = NULL;
    PyObject *subjects = PySet_New(NULL), *predicates = PySet_New(NULL), *objects = PySet_New(NULL);
    PyObject *link_subjects = PyList_New(0), *link_objects = PyList_New(0), *datatypes = PySet_New(NULL);
    PyObject *missing = PyList_New(0);
    /* The lines as written (new references; NULL past the last one made). */
    PyObject **written = PyMem_Calloc(count ? count : 1, sizeof(PyObject *));
    int plain_any = 0, tagged_any = 0, unsure = 0, changed = 0;
    if (subjects == NULL || predicates == NULL || objects == NULL || link_subjects == NULL ||
        link_objects == NULL || datatypes == NULL || missing == NULL)
        goto done;
    if (written == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *line = PyList_GET_ITEM(lines, i);
        if (!PyBytes_Check(line)) {
            PyErr_SetString(PyExc_TypeError, "stored_lines takes a list of bytes");
            goto done;
        }
        written[i] = Py_NewRef(line);
        const char *s = PyBytes_AS_STRING(line);
        Py_ssize_t n = PyBytes_GET_SIZE(line);
        const char *space1 = memchr(s, ' ', n);
        const char *space2 = space1 ? memchr(space1 + 1, ' ', n - (space1 + 1 - s)) : NULL;
        if (space2 == NULL) {
            PyErr_Format(PyExc_ValueError, "stored_lines: line %zd is not subject, predicate and object", i);
            goto done;
        }
        Py_ssize_t subject_size = space1 - s, predicate_size = space2 - space1 - 1;
        const char *rest = space2 + 1;
        Py_ssize_t rest_size = n - (rest - s);
        /* Sorted lines: one subject's lines share one bytes object. */
        if (subject == NULL || PyBytes_GET_SIZE(subject) != subject_size ||
            memcmp(PyBytes_AS_STRING(subject), s, subject_size) != 0) {
            Py_XDECREF(subject);
            subject = PyBytes_FromStringAndSize(s, subject_size);
            if (subject == NULL || PySet_Add(subjects, subject) < 0)
                goto done;
        }
        if (add_bytes(predicates, space1 + 1, predicate_size) < 0)
            goto done;
        int named = rest_size > 0 && rest[0] == '<';
        int plain = ends_with(rest, rest_size, "\" .", 3);
        int closed = ends_with(rest, rest_size, "> .", 3); /* an IRI or a typed literal */
        if (named) {
            PyObject *object = PyBytes_FromStringAndSize(rest, rest_size > 2 ? rest_size - 2 : 0);
            if (object == NULL)
                goto done;
            int status = PySet_Add(objects, object) < 0 || PyList_Append(link_objects, object) < 0 ||
                         PyList_Append(link_subjects, subject) < 0;
            Py_DECREF(object);
            if (status)
                goto done;
        }
        plain_any |= plain;
        if (closed && !named) { /* a typed literal: its stored form is the table's */
            PyObject *literal = PyBytes_FromStringAndSize(rest, rest_size - 2);
            if (literal == NULL)
                goto done;
            PyObject *stored = canonical_of(literal, canonical, learned);
            if (stored == NULL) {
                int status = PyErr_Occurred() ? -1 : PyList_Append(missing, literal);
                Py_DECREF(literal);
                if (status < 0)
                    goto done;
                continue;
            }
            int same = PyBytes_GET_SIZE(stored) == PyBytes_GET_SIZE(literal) &&
                       memcmp(PyBytes_AS_STRING(stored), PyBytes_AS_STRING(literal), PyBytes_GET_SIZE(literal)) == 0;
            Py_DECREF(literal);
            const char *form = PyBytes_AS_STRING(stored);
            Py_ssize_t form_size = PyBytes_GET_SIZE(stored);
            Py_ssize_t at = form_size > 0 && form[form_size - 1] == '>' ? last_datatype(form, form_size) : -1;
            int status = at != -1 ? add_bytes(datatypes, form + at + 4, form_size - at - 5 > 0 ? form_size - at - 5 : 0)
                                  : add_bytes(datatypes, XSD_STRING_IRI, sizeof XSD_STRING_IRI - 1);
            if (status == 0 && !same) {
                Py_ssize_t head = rest - s; /* `subject predicate ` */
                PyObject *rewritten = PyBytes_FromStringAndSize(NULL, head + form_size + 2);
                if (rewritten == NULL) {
                    status = -1;
                } else {
                    char *out = PyBytes_AS_STRING(rewritten);
                    memcpy(out, s, head);
                    memcpy(out + head, form, form_size);
                    memcpy(out + head + form_size, " .", 2);
                    Py_SETREF(written[i], rewritten);
                    changed = 1;
                }
            }
            Py_DECREF(stored);
            if (status < 0)
                goto done;
        }
        if (!plain && !closed) { /* a language tag, which the store keeps in lower case */
            Py_ssize_t at = last_at_sign(rest, rest_size);
            if (at == -1 || !ascii_lower(rest + at + 2, rest_size - 2 - (at + 2))) {
                unsure = 1; /* or a blank node */
                break;
            }
            tagged_any = 1;
        }
    }
    if (unsure) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    if (PyList_GET_SIZE(missing) > 0) {
        result = Py_NewRef(missing);
        goto done;
    }
    if ((plain_any && add_bytes(datatypes, XSD_STRING_IRI, sizeof XSD_STRING_IRI - 1) < 0) ||
        (tagged_any && add_bytes(datatypes, LANG_STRING_IRI, sizeof LANG_STRING_IRI - 1) < 0))
        goto done;
    PyObject *out_lines;
    if (!changed) {
        out_lines = Py_NewRef(lines); /* sorted and each once, as the file holds them */
    } else {
        /* A new form changes a line after its subject and predicate, so it moves among the lines of
           both only: mostly they are in order still. */
        int ordered = 1;
        for (Py_ssize_t i = 1; i < count && ordered; i++)
            ordered = object_order(&written[i - 1], &written[i]) < 0;
        if (!ordered)
            qsort(written, count, sizeof(PyObject *), object_order);
        out_lines = PyList_New(0);
        if (out_lines == NULL)
            goto done;
        for (Py_ssize_t i = 0; i < count; i++)
            if ((i == 0 || object_order(&written[i - 1], &written[i]) != 0) &&
                PyList_Append(out_lines, written[i]) < 0) {
                Py_DECREF(out_lines);
                goto done;
            }
    }
    result = PyTuple_Pack(7, out_lines, subjects, predicates, objects, link_subjects, link_objects, datatypes);
    Py_DECREF(out_lines);
done:
    if (written != NULL) {
        for (Py_ssize_t i = 0; i < count; i++)
            Py_XDECREF(written[i]);
        PyMem_Free(written);
    }
    Py_XDECREF(subject);
    Py_XDECREF(subjects);
    Py_XDECREF(predicates);
    Py_XDECREF(objects);
    Py_XDECREF(link_subjects);
    Py_XDECREF(link_objects);
    Py_XDECREF(datatypes);
    Py_XDECREF(missing);
    return result;
}

/* --- the parts a description's walk reaches ---------------------------------------------- */

/* IRIs of a resource's lines (`<iri>` bytes objects, borrowed from the caller's lists) joined
   by the links the walk steps along, in an open-addressing table with a union-find over it. */
typedef struct {
    PyObject *key;
    Py_hash_t hash;
    Py_ssize_t parent;
} Node;

typedef struct {
    Node *nodes;       /* in the order they came */
    Py_ssize_t *slots; /* index into nodes + 1; 0 is empty */
    Py_ssize_t count, mask;
} Nodes;

static int same_bytes(PyObject *a, PyObject *b) {
    return PyBytes_GET_SIZE(a) == PyBytes_GET_SIZE(b) &&
           memcmp(PyBytes_AS_STRING(a), PyBytes_AS_STRING(b), PyBytes_GET_SIZE(a)) == 0;
}

/* The index of `key` (bytes), added when `add` and absent; -1 when absent and not added, -2 with an
   error set. */
static Py_ssize_t node_of(Nodes *t, PyObject *key, int add) {
    Py_hash_t hash = PyObject_Hash(key);
    if (hash == -1)
        return -2;
    for (Py_ssize_t slot = (size_t)hash & t->mask;; slot = (slot + 1) & t->mask) {
        Py_ssize_t at = t->slots[slot];
        if (at == 0) {
            if (!add)
                return -1;
            Py_ssize_t index = t->count++;
            t->nodes[index] = (Node){key, hash, index};
            t->slots[slot] = index + 1;
            return index;
        }
        Node *node = &t->nodes[at - 1];
        if (node->hash == hash && same_bytes(node->key, key))
            return at - 1;
    }
}

static Py_ssize_t node_root(Nodes *t, Py_ssize_t i) {
    while (t->nodes[i].parent != i) {
        t->nodes[i].parent = t->nodes[t->nodes[i].parent].parent;
        i = t->nodes[i].parent;
    }
    return i;
}

/* Adds `<iri>`'s IRI (str) to a set; 0, or -1 with an error set. */
static int add_iri(PyObject *set, PyObject *term, int bracketed) {
    const char *s = PyBytes_AS_STRING(term);
    Py_ssize_t n = PyBytes_GET_SIZE(term);
    PyObject *iri = bracketed ? PyUnicode_DecodeUTF8(s + (n > 0), n > 2 ? n - 2 : 0, "strict")
                              : PyUnicode_DecodeUTF8(s, n, "strict");
    if (iri == NULL)
        return -1;
    int status = PySet_Add(set, iri);
    Py_DECREF(iri);
    return status;
}

/* Adds each IRI of a set of terms to `iris` (and, unless `skip` holds it, to `linked`). */
static int add_iris(PyObject *iris, PyObject *terms, int bracketed, PyObject *linked, PyObject *skip,
                    PyObject *root) {
    PyObject *iterator = PyObject_GetIter(terms);
    if (iterator == NULL)
        return -1;
    PyObject *term;
    int status = 0;
    while (status == 0 && (term = PyIter_Next(iterator)) != NULL) {
        if (!PyBytes_Check(term)) {
            PyErr_SetString(PyExc_TypeError, "reached_terms takes bytes terms");
            status = -1;
        } else {
            status = add_iri(iris, term, bracketed);
            if (status == 0 && linked != NULL && !same_bytes(term, root)) {
                int inside = PySet_Contains(skip, term);
                status = inside < 0 ? -1 : inside ? 0 : add_iri(linked, term, 1);
            }
        }
        Py_DECREF(term);
    }
    Py_DECREF(iterator);
    return status < 0 || PyErr_Occurred() ? -1 : 0;
}

static PyObject *reached_terms(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *subjects, *predicates, *objects, *link_subjects, *link_objects, *datatypes, *root, *head;
    int hub;
    Py_ssize_t max_parts;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!O!SSpn:reached_terms", &PySet_Type, &subjects, &PySet_Type, &predicates,
                          &PySet_Type, &objects, &PyList_Type, &link_subjects, &PyList_Type, &link_objects,
                          &PySet_Type, &datatypes, &root, &head, &hub, &max_parts))
        return NULL;
    Py_ssize_t links = PyList_GET_SIZE(link_subjects);
    if (PyList_GET_SIZE(link_objects) != links) {
        PyErr_SetString(PyExc_ValueError, "reached_terms: as many link objects as link subjects");
        return NULL;
    }
    Py_ssize_t capacity = 8;
    while (capacity < 4 * (links + 1))
        capacity *= 2;
    Nodes t = {PyMem_Malloc((2 * links + 1) * sizeof(Node)), PyMem_Calloc(capacity, sizeof(Py_ssize_t)), 0,
               capacity - 1};
    PyObject *result = NULL, *linked = NULL, *iris = NULL;
    if (t.nodes == NULL || t.slots == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (node_of(&t, root, 1) < 0)
        goto done;
    const char *h = PyBytes_AS_STRING(head);
    Py_ssize_t h_size = PyBytes_GET_SIZE(head);
    for (Py_ssize_t i = 0; i < links; i++) {
        PyObject *subject = PyList_GET_ITEM(link_subjects, i), *object = PyList_GET_ITEM(link_objects, i);
        if (!PyBytes_Check(subject) || !PyBytes_Check(object)) {
            PyErr_SetString(PyExc_TypeError, "reached_terms takes bytes terms");
            goto done;
        }
        /* Links to the resource's parts, and to the resource unless it is a hub (its walk does not
           read what points at it). */
        int inner = (PyBytes_GET_SIZE(object) >= h_size && memcmp(PyBytes_AS_STRING(object), h, h_size) == 0) ||
                    (!hub && same_bytes(object, root));
        if (!inner || same_bytes(object, subject))
            continue;
        Py_ssize_t a = node_of(&t, subject, 1), b = a < 0 ? a : node_of(&t, object, 1);
        if (a < 0 || b < 0)
            goto done;
        a = node_root(&t, a);
        b = node_root(&t, b);
        if (a != b)
            t.nodes[a > b ? a : b].parent = a < b ? a : b;
    }
    Py_ssize_t top = node_root(&t, 0), reached = 0;
    for (Py_ssize_t i = 0; i < t.count; i++)
        reached += node_root(&t, i) == top;
    if (reached > max_parts) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    /* Every subject must be reached: else the run of lines is not surely what the walk finds. */
    PyObject *iterator = PyObject_GetIter(subjects), *subject;
    if (iterator == NULL)
        goto done;
    int outside = 0;
    while (!outside && (subject = PyIter_Next(iterator)) != NULL) {
        Py_ssize_t at = PyBytes_Check(subject) ? node_of(&t, subject, 0) : -3;
        Py_DECREF(subject); /* still held by the set */
        if (at == -3)
            PyErr_SetString(PyExc_TypeError, "reached_terms takes bytes terms");
        if (at < -1)
            break;
        outside = at == -1 || node_root(&t, at) != top;
    }
    Py_DECREF(iterator);
    if (PyErr_Occurred())
        goto done;
    if (outside) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    linked = PyFrozenSet_New(NULL);
    iris = PyFrozenSet_New(NULL);
    if (linked == NULL || iris == NULL || add_iris(iris, subjects, 1, NULL, NULL, NULL) < 0 ||
        add_iris(iris, predicates, 1, NULL, NULL, NULL) < 0 || add_iris(iris, objects, 1, linked, subjects, root) < 0 ||
        add_iris(iris, datatypes, 0, NULL, NULL, NULL) < 0)
        goto done;
    result = PyTuple_Pack(2, linked, iris);
done:
    PyMem_Free(t.nodes);
    PyMem_Free(t.slots);
    Py_XDECREF(linked);
    Py_XDECREF(iris);
    return result;
}

static PyMethodDef methods[] = {
    {"turtle", turtle, METH_VARARGS,
     "turtle(nt, prefixes) -> bytes | None: Oxigraph's Turtle for sorted, unique N-Triples lines, "
     "a blank line after each subject's block; None when only Oxigraph can say."},
    {"document_block", document_block, METH_O,
     "document_block(lines) -> bytes: a document's N-Triples lines (str), sorted by their UTF-8 "
     "bytes, each once, each followed by a line end."},
    {"merge_blocks", merge_blocks, METH_O,
     "merge_blocks(blocks) -> bytes: sorted blocks of lines (each line ending in a line end) "
     "merged into one sorted block, repeats kept."},
    {"segment", segment, METH_VARARGS,
     "segment(block, span, prefixes) -> (head, pieces, tail): merged lines counted and cut into "
     "pieces at the subjects whose CRC-32 is a multiple of span; head and tail (None without a "
     "cut) are (N-Triples, uint32 counts), each piece (key, lines, N-Triples, Turtle or None, "
     "shared counts)."},
    {"plan_blocks", plan_blocks, METH_VARARGS,
     "plan_blocks(runs, step) -> rows: where each block of the runs' merge starts in each run "
     "(a row of offsets per block, then a last row of the runs' sizes); blocks of about step "
     "bytes, each starting at a subject's first line."},
    {"merge_slices", merge_slices, METH_VARARGS,
     "merge_slices(fds, starts, ends) -> bytes: the slices of the open runs merged, every line "
     "of each kept; the GIL is released meanwhile."},
    {"release", release, METH_VARARGS,
     "release(fds, froms, tos) -> list: the whole pages of each open run's [from, to) freed (a hole "
     "punched where the file system can); returns the page boundary each run's release got to."},
    {"count_adjacent", count_adjacent, METH_VARARGS,
     "count_adjacent(block) -> (distinct, counts): sorted lines, each once (the block without its "
     "repeats), and how often each came, as native unsigned 32-bit integers."},
    {"stored_lines", stored_lines, METH_VARARGS,
     "stored_lines(lines, canonical, learned) -> (lines, subjects, predicates, objects, "
     "link_subjects, link_objects, datatypes) | list | None: a resource's N-Triples lines as the "
     "store holds them (kg.stores.prepared.as_stored), typed literals in the forms canonical or "
     "learned (a dict or None) give; the typed literals neither holds (a list) when there are "
     "some; None when a line holds a blank node or an upper-case language tag."},
    {"reached_terms", reached_terms, METH_VARARGS,
     "reached_terms(subjects, predicates, objects, link_subjects, link_objects, datatypes, root, "
     "head, hub, max_parts) -> (linked, iris) | None: the walk of kg.web.prepared over a "
     "resource's stored lines; None when a subject is not reached from root or more than "
     "max_parts IRIs are."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "kg._native",
                                    "Byte-level loops of the build, in C.", -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__native(void) {
    crc_init();
    return PyModule_Create(&module);
}

package io.auricle.tokenizer;

import io.auricle.AuricleException;
import io.auricle.model.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whisper's tokenizer, as openai/whisper's tokenizer.py builds it on tiktoken: GPT-2 pre-tokenization, byte-level
 * BPE over the regular vocabulary, then the special tokens laid out after it: {@code <|endoftext|>},
 * {@code <|startoftranscript|>}, one token per language, translate, transcribe, startoflm, startofprev, nospeech,
 * notimestamps and the 1501 timestamps {@code <|0.00|>} … {@code <|30.00|>}. Their ids follow from n_vocab and
 * the vocabulary size alone. Immutable apart from a piece cache; safe to share between threads.
 */
public final class Tokenizer {
    /** GPT-2's pre-tokenizer; Unicode {@code \s}, as tiktoken's regex engine has it. */
    private static final Pattern PIECES = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final int TIMESTAMPS = 1501; // 0.00 … 30.00 s in steps of 0.02 s
    private static final int SPECIALS_BESIDES_LANGUAGES = 2 + 6 + TIMESTAMPS;
    private static final int CACHE_LIMIT = 1 << 16;
    private static final int CACHED_PIECE_LENGTH = 64;
    /** Python's string.punctuation; openai tests membership as a substring ({@code x in string.punctuation}). */
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private static final Set<String> UNSPACED_LANGUAGES = Set.of("zh", "ja", "th", "lo", "my", "yue");

    private final BytePairEncoder bpe;
    private final int nVocab;
    private final int numLanguages;
    private final int eot;
    private final byte[][] specialNames; // UTF-8 of "<|…|>" for ids eot … nVocab-1
    private final Map<String, int[]> pieceCache = new ConcurrentHashMap<>();
    private volatile int[] nonSpeechTokens;

    /**
     * @param vocabulary the regular tokens' bytes in rank order (token id = index), as
     *                   {@link Checkpoint#vocabulary()} gives them; a trailing {@code <|endoftext|>} is ignored
     * @param nVocab     the model's n_vocab, which fixes the number of language tokens
     * @param source     names the vocabulary's origin in error messages
     */
    public Tokenizer(List<byte[]> vocabulary, int nVocab, String source) {
        int regular = vocabulary.size();
        if (regular > 0 && Arrays.equals(vocabulary.get(regular - 1), bytes("<|endoftext|>"))) regular--;
        this.nVocab = nVocab;
        this.eot = regular;
        this.numLanguages = nVocab - regular - SPECIALS_BESIDES_LANGUAGES;
        if (numLanguages < 0 || numLanguages > Languages.codes().size()) {
            throw new AuricleException(String.format(
                    "%s: %d regular tokens do not fit n_vocab %d (Whisper adds %d special tokens and 0 to %d"
                            + " language tokens)", source, regular, nVocab, SPECIALS_BESIDES_LANGUAGES,
                    Languages.codes().size()));
        }
        this.bpe = new BytePairEncoder(vocabulary.subList(0, regular), source);
        this.specialNames = specialNames(numLanguages);
    }

    public Tokenizer(List<byte[]> vocabulary, int nVocab) {
        this(vocabulary, nVocab, "vocabulary");
    }

    public static Tokenizer of(Checkpoint checkpoint) {
        return new Tokenizer(checkpoint.vocabulary(), checkpoint.dims().nVocab(), checkpoint.source());
    }

    /** From a CTranslate2 or Hugging Face model directory (see {@link Vocabularies#readDirectory}). */
    public static Tokenizer fromDirectory(Path dir) {
        Vocabularies.Vocabulary vocabulary = Vocabularies.readDirectory(dir);
        return new Tokenizer(vocabulary.regular(), vocabulary.nVocab(), dir.toString());
    }

    private static byte[][] specialNames(int numLanguages) {
        return specialTokenNames(numLanguages).stream().map(Tokenizer::bytes).toArray(byte[][]::new);
    }

    /** The names of the special tokens, ids eot … n_vocab-1, for a model with that many languages. */
    public static List<String> specialTokenNames(int numLanguages) {
        List<String> names = new ArrayList<>();
        names.add("<|endoftext|>");
        names.add("<|startoftranscript|>");
        for (String code : Languages.codes().subList(0, numLanguages)) names.add("<|" + code + "|>");
        names.addAll(List.of("<|translate|>", "<|transcribe|>", "<|startoflm|>", "<|startofprev|>",
                "<|nospeech|>", "<|notimestamps|>"));
        for (int i = 0; i < TIMESTAMPS; i++) names.add(String.format("<|%d.%02d|>", i / 50, i % 50 * 2));
        return names;
    }

    // ---- special tokens, named as openai/whisper's Tokenizer ----

    public int nVocab() { return nVocab; }
    public boolean isMultilingual() { return nVocab >= 51865; }
    public int numLanguages() { return numLanguages; }
    public int eot() { return eot; }
    public int sot() { return eot + 1; }
    public int translate() { return eot + 2 + numLanguages; }
    public int transcribe() { return eot + 3 + numLanguages; }
    public int sotLm() { return eot + 4 + numLanguages; }
    public int sotPrev() { return eot + 5 + numLanguages; }
    /** {@code <|nospeech|>}; Hugging Face calls the same id {@code <|nocaptions|>} in English-only models. */
    public int noSpeech() { return eot + 6 + numLanguages; }
    public int noTimestamps() { return eot + 7 + numLanguages; }
    public int timestampBegin() { return eot + 8 + numLanguages; }

    public boolean isTimestamp(int token) {
        return token >= timestampBegin() && token < nVocab;
    }

    /** This model's language codes in token order (openai's {@code all_language_codes}). */
    public List<String> languageCodes() {
        return Languages.codes().subList(0, numLanguages);
    }

    /**
     * The language tokens by id, {@code <|en|>} first: openai's {@code all_language_tokens}, which lists the same
     * tokens in a set's order.
     */
    public int[] languageTokens() {
        int[] tokens = new int[numLanguages];
        for (int i = 0; i < numLanguages; i++) tokens[i] = sot() + 1 + i;
        return tokens;
    }

    /** The token of a language given by code, name or alias ("nl", "Dutch", "flemish"). */
    public int languageToken(String language) {
        String code = Languages.code(language);
        int index = languageCodes().indexOf(code);
        if (index < 0) {
            throw new AuricleException("language " + code + " (" + Languages.name(code) + ") is not in this model's"
                    + " " + numLanguages + " languages");
        }
        return sot() + 1 + index;
    }

    /**
     * The decoder's start, as openai's {@code get_tokenizer(...).sot_sequence}: English-only models take only
     * {@code <|startoftranscript|>}; multilingual ones add the language (default "en") and the task
     * ("transcribe" by default, or "translate").
     */
    public int[] sotSequence(String language, String task) {
        if (!isMultilingual()) return new int[] {sot()};
        String t = task == null ? "transcribe" : task;
        int taskToken = switch (t) {
            case "transcribe" -> transcribe();
            case "translate" -> translate();
            default -> throw new AuricleException("unknown task: " + t + " (expected transcribe or translate)");
        };
        return new int[] {sot(), languageToken(language == null ? "en" : language), taskToken};
    }

    /**
     * Tokens that would let the model write speaker tags or sound annotations ("♪♪♪", "( SPEAKING … )",
     * "[DAVID]") while keeping ordinary punctuation: openai's {@code non_speech_tokens}, the symbols behind
     * suppress_tokens "-1".
     */
    public int[] nonSpeechTokens() {
        int[] tokens = nonSpeechTokens;
        if (tokens == null) nonSpeechTokens = tokens = computeNonSpeechTokens();
        return tokens.clone();
    }

    private int[] computeNonSpeechTokens() {
        List<String> symbols = new ArrayList<>();
        for (char c : "\"#()*+/:;<=>@[\\]^_`{|}~「」『』".toCharArray()) symbols.add(String.valueOf(c));
        symbols.addAll(List.of("<<", ">>", "<<<", ">>>", "--", "---", "-(", "-[", "('", "(\"", "((", "))", "(((",
                ")))", "[[", "]]", "{{", "}}", "♪♪", "♪♪♪"));
        // U+2640..U+267F symbols share their first two UTF-8 bytes, so suppressing the first token is safe even
        // when a symbol takes several tokens.
        List<String> miscellaneous = List.of("♩", "♪", "♫", "♬", "♭", "♮", "♯");
        // hyphens and single quotes stay allowed between words, not at the start of one
        Set<Integer> result = new TreeSet<>(List.of(encode(" -")[0], encode(" '")[0]));
        symbols.addAll(miscellaneous);
        for (String symbol : symbols) {
            for (int[] tokens : new int[][] {encode(symbol), encode(" " + symbol)}) {
                if (tokens.length == 1 || miscellaneous.contains(symbol)) result.add(tokens[0]);
            }
        }
        return result.stream().mapToInt(Integer::intValue).toArray();
    }

    // ---- encoding ----

    /**
     * The tokens of plain text: GPT-2 pieces, each merged by BPE over its UTF-8 bytes. Text that spells a
     * special token ("<|en|>") is encoded as ordinary text. Whisper prompts and prefixes start with a space.
     */
    public int[] encode(String text) {
        int[] out = new int[Math.max(16, text.length() / 2)];
        int n = 0;
        Matcher pieces = PIECES.matcher(text);
        while (pieces.find()) {
            String piece = pieces.group();
            int[] ids = pieceCache.get(piece);
            if (ids == null) {
                ids = bpe.encode(piece.getBytes(StandardCharsets.UTF_8));
                if (pieceCache.size() < CACHE_LIMIT && piece.length() <= CACHED_PIECE_LENGTH) {
                    pieceCache.put(piece, ids);
                }
            }
            if (n + ids.length > out.length) out = Arrays.copyOf(out, Math.max(out.length * 2, n + ids.length));
            System.arraycopy(ids, 0, out, n, ids.length);
            n += ids.length;
        }
        return Arrays.copyOf(out, n);
    }

    // ---- decoding ----

    /** The text of the regular tokens; special tokens (id ≥ eot) are skipped, as faster-whisper does. */
    public String decode(int[] tokens) {
        return decode(tokens, tokens.length, false);
    }

    /**
     * The text of all tokens, special ones written by name: timestamps as "<|1.08|>", others as "<|en|>".
     * Bytes are joined before UTF-8 decoding, so characters split across tokens come out whole; bytes that end
     * mid-character become U+FFFD.
     */
    public String decodeWithTimestamps(int[] tokens) {
        return decode(tokens, tokens.length, true);
    }

    private String decode(int[] tokens, int count, boolean withSpecials) {
        int length = 0;
        for (int i = 0; i < count; i++) {
            int t = check(tokens[i]);
            length += t < eot ? bpe.length(t) : withSpecials ? specialNames[t - eot].length : 0;
        }
        byte[] bytes = new byte[length];
        int at = 0;
        for (int i = 0; i < count; i++) {
            int t = tokens[i];
            if (t < eot) {
                at = bpe.copyBytes(t, bytes, at);
            } else if (withSpecials) {
                System.arraycopy(specialNames[t - eot], 0, bytes, at, specialNames[t - eot].length);
                at += specialNames[t - eot].length;
            }
        }
        return Utf8.decode(bytes, length);
    }

    /** The raw bytes of one token (a special token's name for ids ≥ eot); may end mid-character. */
    public byte[] tokenBytes(int token) {
        check(token);
        return token < eot ? bpe.bytes(token) : specialNames[token - eot].clone();
    }

    private int check(int token) {
        if (token < 0 || token >= nVocab) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary (n_vocab " + nVocab + ")");
        }
        return token;
    }

    // ---- words, for word-level timestamps ----

    /**
     * Groups tokens into words as openai's {@code split_to_word_tokens}: at spaces and punctuation, or, for
     * languages written without spaces (zh, ja, th, lo, my, yue), wherever the tokens so far decode to whole
     * characters. Special tokens stand alone.
     *
     * @param language the language code, or null for English-only models
     */
    public List<WordTokens> splitToWordTokens(int[] tokens, String language) {
        if (language != null && UNSPACED_LANGUAGES.contains(language)) return splitOnUnicode(tokens);
        return splitOnSpaces(tokens);
    }

    /** openai's {@code split_tokens_on_unicode}: cut where the bytes so far make whole characters. */
    List<WordTokens> splitOnUnicode(int[] tokens) {
        String full = decodeWithTimestamps(tokens);
        List<WordTokens> words = new ArrayList<>();
        int start = 0, offset = 0;
        for (int end = 1; end <= tokens.length; end++) {
            int[] current = Arrays.copyOfRange(tokens, start, end);
            String decoded = decodeWithTimestamps(current);
            int bad = decoded.indexOf(Utf8.REPLACEMENT);
            // a U+FFFD that the whole text also has is a real one, not a character cut in half
            if (bad < 0 || (offset + bad < full.length() && full.charAt(offset + bad) == Utf8.REPLACEMENT)) {
                words.add(new WordTokens(decoded, current));
                start = end;
                offset += decoded.length();
            }
        }
        return words;
    }

    /** openai's {@code split_tokens_on_spaces}: a word starts at a space, a punctuation mark or a special token. */
    List<WordTokens> splitOnSpaces(int[] tokens) {
        List<WordTokens> words = new ArrayList<>();
        for (WordTokens subword : splitOnUnicode(tokens)) {
            boolean special = subword.tokens()[0] >= eot;
            boolean withSpace = subword.word().startsWith(" ");
            boolean punctuation = PUNCTUATION.contains(pythonStrip(subword.word()));
            if (special || withSpace || punctuation || words.isEmpty()) {
                words.add(subword);
            } else {
                WordTokens last = words.removeLast();
                int[] joined = Arrays.copyOf(last.tokens(), last.tokens().length + subword.tokens().length);
                System.arraycopy(subword.tokens(), 0, joined, last.tokens().length, subword.tokens().length);
                words.add(new WordTokens(last.word() + subword.word(), joined));
            }
        }
        return words;
    }

    /** Python's {@code str.strip()}: its whitespace includes no-break spaces and U+0085, unlike Java's. */
    private static String pythonStrip(String s) {
        int from = 0, to = s.length();
        while (from < to && isPythonSpace(s.charAt(from))) from++;
        while (to > from && isPythonSpace(s.charAt(to - 1))) to--;
        return s.substring(from, to);
    }

    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

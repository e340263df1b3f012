package io.auricle.tokenizer;

import io.auricle.AuricleException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whisper's languages in openai/whisper's {@code LANGUAGES} order, which is also the order of the language
 * tokens after {@code <|startoftranscript|>}: v1/v2 models have the first 99, large-v3 all 100.
 */
public final class Languages {
    private Languages() {}

    /** Code and English name pairs, in token order (openai/whisper tokenizer.py {@code LANGUAGES}). */
    private static final String[] TABLE = {
            "en", "english", "zh", "chinese", "de", "german", "es", "spanish", "ru", "russian", "ko", "korean",
            "fr", "french", "ja", "japanese", "pt", "portuguese", "tr", "turkish", "pl", "polish", "ca", "catalan",
            "nl", "dutch", "ar", "arabic", "sv", "swedish", "it", "italian", "id", "indonesian", "hi", "hindi",
            "fi", "finnish", "vi", "vietnamese", "he", "hebrew", "uk", "ukrainian", "el", "greek", "ms", "malay",
            "cs", "czech", "ro", "romanian", "da", "danish", "hu", "hungarian", "ta", "tamil", "no", "norwegian",
            "th", "thai", "ur", "urdu", "hr", "croatian", "bg", "bulgarian", "lt", "lithuanian", "la", "latin",
            "mi", "maori", "ml", "malayalam", "cy", "welsh", "sk", "slovak", "te", "telugu", "fa", "persian",
            "lv", "latvian", "bn", "bengali", "sr", "serbian", "az", "azerbaijani", "sl", "slovenian",
            "kn", "kannada", "et", "estonian", "mk", "macedonian", "br", "breton", "eu", "basque", "is", "icelandic",
            "hy", "armenian", "ne", "nepali", "mn", "mongolian", "bs", "bosnian", "kk", "kazakh", "sq", "albanian",
            "sw", "swahili", "gl", "galician", "mr", "marathi", "pa", "punjabi", "si", "sinhala", "km", "khmer",
            "sn", "shona", "yo", "yoruba", "so", "somali", "af", "afrikaans", "oc", "occitan", "ka", "georgian",
            "be", "belarusian", "tg", "tajik", "sd", "sindhi", "gu", "gujarati", "am", "amharic", "yi", "yiddish",
            "lo", "lao", "uz", "uzbek", "fo", "faroese", "ht", "haitian creole", "ps", "pashto", "tk", "turkmen",
            "nn", "nynorsk", "mt", "maltese", "sa", "sanskrit", "lb", "luxembourgish", "my", "myanmar",
            "bo", "tibetan", "tl", "tagalog", "mg", "malagasy", "as", "assamese", "tt", "tatar", "haw", "hawaiian",
            "ln", "lingala", "ha", "hausa", "ba", "bashkir", "jw", "javanese", "su", "sundanese", "yue", "cantonese"    };

    /** Extra names accepted for a language ({@code TO_LANGUAGE_CODE}'s aliases). */
    private static final String[] ALIASES = {
            "burmese", "my", "valencian", "ca", "flemish", "nl", "haitian", "ht", "letzeburgesch", "lb",
            "pushto", "ps", "panjabi", "pa", "moldavian", "ro", "moldovan", "ro", "sinhalese", "si",
            "castilian", "es", "mandarin", "zh"
    };

    private static final List<String> CODES;
    private static final Map<String, String> NAMES = new HashMap<>();
    private static final Map<String, String> TO_CODE = new HashMap<>();

    static {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < TABLE.length; i += 2) {
            codes.add(TABLE[i]);
            NAMES.put(TABLE[i], TABLE[i + 1]);
            TO_CODE.put(TABLE[i], TABLE[i]);
            TO_CODE.put(TABLE[i + 1], TABLE[i]);
        }
        for (int i = 0; i < ALIASES.length; i += 2) TO_CODE.put(ALIASES[i], ALIASES[i + 1]);
        CODES = Collections.unmodifiableList(codes);
    }

    /** All 100 language codes in token order. */
    public static List<String> codes() {
        return CODES;
    }

    /** The English name of a language code, e.g. "dutch" for "nl". */
    public static String name(String code) {
        String name = NAMES.get(code);
        if (name == null) throw new AuricleException("unsupported language: " + code);
        return name;
    }

    /** The code for a code, an English name or an alias, case-insensitively ("Dutch", "flemish", "nl" → "nl"). */
    public static String code(String language) {
        String code = TO_CODE.get(language.toLowerCase(Locale.ROOT));
        if (code == null) throw new AuricleException("unsupported language: " + language);
        return code;
    }
}

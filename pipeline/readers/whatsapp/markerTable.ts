/**
 * What WhatsApp writes in a `.txt` export instead of a person's words, by language: data only, read by
 * `mediaMarkers.ts` and `systemNotices.ts`, each string tested in `markerTable.test.ts`.
 *
 * Sources (a string is listed only when one of them shows it; nothing here is translated by us):
 * - [WA] starkdmi/whats_json `lib/src/patterns.dart`: collected from WhatsApp's own translation files,
 *   Android `strings.xml` (keys `email_media_omitted`, `email_file_attached`, `revoked_msg_incoming`,
 *   `revoked_msg_outgoing`, `missed_voice_call`, `video_missed_call`) and iOS `Localizable.strings`
 *   (keys `n*sq0` image, `I4|vp` video, `a86Wu` audio, `2K_mB` sticker, `~.KLq` GIF, `Sk+0p` contact card,
 *   `StaLC` document, `zQ+5d` attached, `qBly]` / `GHe7G` deleted).
 * - [CA] mlomb/chat-analytics `pipeline/parse/parsers/WhatsApp.ts`: Android "media omitted" per language
 *   (two wordings each, older and newer app versions).
 * - [EX] lines of real exports quoted in public code and notes: a study of three real Android exports
 *   (English, Czech, Russian) listing `<Без медиафайлов>` and `(файл добавлен)`; a German export
 *   (`<Medien ausgeschlossen>`, `(Datei angehängt)`); Spanish test chats (`<Multimedia omitido>`,
 *   `<Se editó este mensaje.>`); a Russian chat (`… <Сообщение изменено>`).
 * - [TP] third-party parsers that strip or count the string (two or more independent ones unless noted).
 * - [CO] `../shared/corpus` (English only) and FORMATS.md §2.7.
 *
 * Not found anywhere, so left out: Kazakh iOS per-type "omitted" wordings, Kazakh and Ukrainian
 * edited-message markers, and any Kazakh iOS attachment word. Such a message is still not trained on:
 * a lone `<…>` is counted as an unknown marker, and an unknown iOS wording is kept as text (see below).
 */

export type OmittedType = "photo" | "video" | "audio" | "gif" | "sticker" | "contact" | "file";

export interface LanguageMarkers {
  /** Android, without media: the whole body, angle brackets included ([CA], [WA], [EX]). */
  androidOmitted: readonly string[];
  /** iOS, without media: the whole body (documents may have a description before it) ([WA]). */
  iosOmitted: Partial<Record<OmittedType, readonly string[]>>;
  /** Android, with media: `NAME (<word>)` ([WA] `email_file_attached`, [EX]). */
  androidAttached: readonly string[];
  /** iOS, with media: `<word: NAME>` ([WA] `zQ+5d`). */
  iosAttached: readonly string[];
  /** Whole-body deleted-message markers, with or without a final period ([WA], [TP]). */
  deleted: readonly string[];
  /** Edit marker appended as ` <…>` (2023+) ([EX], [TP]). */
  edited: readonly string[];
  /** Missed calls, written under the caller's name ([WA] `missed_voice_call`, `video_missed_call`). */
  missedCalls: readonly string[];
  /** A fragment of the end-to-end encryption banner ([WA] `settings_security_info`, `_i3PG`). */
  encryption: readonly string[];
}

export const WHATSAPP_MARKERS: Readonly<Record<string, LanguageMarkers>> = {
  en: {
    androidOmitted: ["<Media omitted>"], // [CO]
    iosOmitted: {
      photo: ["image omitted"],
      video: ["video omitted"],
      audio: ["audio omitted"],
      gif: ["GIF omitted"],
      sticker: ["sticker omitted"],
      contact: ["Contact card omitted"],
      file: ["document omitted"],
    }, // [CO]
    androidAttached: ["file attached"],
    iosAttached: ["attached"],
    deleted: ["This message was deleted", "You deleted this message"],
    edited: ["This message was edited"],
    missedCalls: ["Missed voice call", "Missed video call"],
    encryption: ["end-to-end encrypt", "now secured"],
  },
  ru: {
    // "<Медиа отсутствуют>" was in the earlier table; one third-party regex has it ([TP], single).
    androidOmitted: ["<Без медиафайлов>", "<Файл пропущен>", "<Медиа отсутствуют>"],
    iosOmitted: {
      photo: ["изображение отсутствует"],
      video: ["видео отсутствует"],
      audio: ["аудиофайл отсутствует"],
      gif: ["GIF отсутствует"],
      sticker: ["стикер не добавлен"],
      contact: ["Карточка контакта отсутствует"],
      file: ["документ отсутствует"],
    },
    androidAttached: ["файл добавлен", "файл прикреплён", "файл прикреплен"], // the last two: [TP]
    iosAttached: ["прикреплено", "вложение"], // "вложение": [TP]
    // "Это сообщение удалено": [TP]; WhatsApp's own files say "Данное".
    deleted: [
      "Данное сообщение удалено",
      "Это сообщение удалено",
      "Вы удалили это сообщение",
      "Вы удалили данное сообщение",
    ],
    edited: ["Сообщение изменено"],
    missedCalls: ["Пропущенный аудиозвонок", "Пропущенный видеозвонок"],
    encryption: ["сквозным шифрованием"],
  },
  uk: {
    androidOmitted: ["<Медіа пропущено>"],
    iosOmitted: {
      photo: ["зображення відсутнє"],
      video: ["відео відсутнє"],
      audio: ["аудіо відсутнє"],
      gif: ["GIF-анімацію пропущено"],
      sticker: ["Наклейку не додано"],
      contact: ["Картка контакту відсутня"],
      file: ["документ пропущено"],
    },
    androidAttached: ["файл додано"],
    iosAttached: ["додано"],
    deleted: ["Це повідомлення було видалено", "Ви видалили це повідомлення"],
    edited: [],
    missedCalls: ["Пропущений аудіодзвінок", "Пропущений відеодзвінок"],
    encryption: ["наскрізним шифруванням"],
  },
  kk: {
    androidOmitted: ["<Файл қосылған жоқ>", "<файлдар қосылмаған>"],
    iosOmitted: {},
    androidAttached: ["қосымша файл"],
    iosAttached: [],
    deleted: ["Бұл хат жойылды", "Сіз бұл хатты жойдыңыз"],
    edited: [],
    missedCalls: ["Жауапсыз қоңырау", "Жауапсыз видео қоңырау"],
    encryption: ["шифрлау арқылы"],
  },
  de: {
    androidOmitted: ["<Medien ausgeschlossen>", "<Medien weggelassen>"],
    iosOmitted: {
      photo: ["Bild weggelassen"],
      video: ["Video weggelassen"],
      audio: ["Audio weggelassen"],
      gif: ["GIF weggelassen"],
      sticker: ["Sticker weggelassen"],
      contact: ["Kontaktkarte ausgelassen"],
      file: ["Dokument weggelassen"],
    },
    androidAttached: ["Datei angehängt"],
    iosAttached: ["Anhang", "angehängt"],
    deleted: ["Diese Nachricht wurde gelöscht", "Du hast diese Nachricht gelöscht"],
    edited: ["Diese Nachricht wurde bearbeitet"],
    missedCalls: ["Verpasster Sprachanruf", "Verpasster Videoanruf"],
    encryption: ["Ende-zu-Ende-verschlüsselt"],
  },
  es: {
    androidOmitted: ["<Multimedia omitido>", "<Archivo omitido>"],
    iosOmitted: {
      photo: ["imagen omitida"],
      video: ["Video omitido", "vídeo omitido"],
      audio: ["audio omitido"],
      gif: ["GIF omitido"],
      sticker: ["sticker omitido"],
      contact: ["Tarjeta de contacto omitida"],
      file: ["documento omitido"],
    },
    androidAttached: ["archivo adjunto", "archivo adjuntado"], // "adjunto": [TP]
    iosAttached: ["adjunto"],
    deleted: ["Se eliminó este mensaje", "Eliminaste este mensaje", "Este mensaje fue eliminado"],
    edited: ["Se editó este mensaje"],
    missedCalls: ["Llamada perdida", "Llamada de voz perdida", "Videollamada perdida"],
    encryption: ["de extremo a extremo"],
  },
  pt: {
    // Brazil and Portugal. "<Arquivo de mídia oculto>": FORMATS.md, from third-party tables.
    androidOmitted: ["<Mídia omitida>", "<Ficheiro não revelado>", "<Arquivo de mídia oculto>"],
    iosOmitted: {
      photo: ["imagem não revelada", "imagem ocultada"],
      video: ["vídeo não revelado", "vídeo omitido"],
      audio: ["ficheiro de áudio não revelado", "áudio ocultado"],
      gif: ["GIF não revelada", "GIF omitido"],
      sticker: ["sticker não revelado", "figurinha omitida"],
      contact: ["Contacto não revelado", "Cartão do contato omitido"],
      file: ["documento não revelado", "documento omitido"],
    },
    androidAttached: ["arquivo anexado", "ficheiro anexado"],
    iosAttached: ["anexo", "anexado"],
    deleted: [
      "Esta mensagem foi apagada",
      "Mensagem apagada",
      "Apagou esta mensagem",
      "Você apagou esta mensagem",
      "Esta mensagem foi apagada pelo remetente",
    ],
    edited: ["Mensagem editada", "Esta mensagem foi editada"],
    missedCalls: ["Chamada de voz perdida", "Videochamada perdida", "Chamada de vídeo perdida"],
    encryption: ["de ponta a ponta", "encriptadas ponto a ponto"],
  },
  fr: {
    androidOmitted: ["<Médias omis>", "<Fichier omis>"],
    iosOmitted: {
      photo: ["image absente"],
      video: ["vidéo absente"],
      audio: ["audio omis"],
      gif: ["GIF retiré"],
      sticker: ["sticker omis"],
      contact: ["Fiche contact manquante"],
      file: ["document manquant"],
    },
    androidAttached: ["fichier joint"],
    iosAttached: ["pièce jointe"],
    deleted: ["Ce message a été supprimé", "Vous avez supprimé ce message"],
    edited: ["Ce message a été modifié"],
    missedCalls: ["Appel vocal manqué", "Appel vidéo manqué"],
    encryption: ["chiffrés de bout en bout"],
  },
  it: {
    androidOmitted: ["<Media omessi>", "<Media omesso>"],
    iosOmitted: {
      photo: ["immagine omessa"],
      video: ["video omesso"],
      audio: ["audio omesso"],
      gif: ["GIF esclusa"],
      sticker: ["sticker non incluso"],
      contact: ["Scheda contatto omessa"],
      file: ["documento omesso"],
    },
    androidAttached: ["file allegato"],
    iosAttached: ["allegato"],
    deleted: ["Questo messaggio è stato eliminato", "Hai eliminato questo messaggio"],
    edited: ["Questo messaggio è stato modificato"],
    missedCalls: ["Chiamata vocale persa", "Videochiamata persa"],
    encryption: ["crittografia end-to-end", "crittografati end-to-end"],
  },
  tr: {
    androidOmitted: ["<Medya dahil edilmedi>", "<Medya atlanmış>"],
    iosOmitted: {
      photo: ["görüntü dahil edilmedi"],
      video: ["video dahil edilmedi"],
      audio: ["ses dahil edilmedi"],
      gif: ["GIF dahil edilmedi"],
      sticker: ["Çıkartma dahil edilmedi"],
      contact: ["Kişi kartı dahil edilmedi"],
      file: ["belge dahil edilmedi"],
    },
    androidAttached: ["dosya ekli"],
    iosAttached: ["eklendi"],
    deleted: ["Bu mesaj silindi", "Bu mesajı sildiniz"],
    edited: ["Bu mesaj düzenlendi"],
    missedCalls: ["Cevapsız sesli arama", "Cevapsız görüntülü arama"],
    encryption: ["uçtan uca şifreli"],
  },
};

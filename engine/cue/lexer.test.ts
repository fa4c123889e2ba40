import { describe, expect, it } from "vitest";
import { tokenize, type Token } from "./lexer.js";

/** The tokens of `src` as `kind:text`, without line ends and the final eof. */
const lexed = (src: string): string[] =>
  tokenize(src)
    .filter((t) => t.kind !== "newline" && t.kind !== "eof")
    .map((t) => `${t.kind}:${t.text}`);

const stringsOf = (src: string): Token[] => tokenize(src).filter((t) => t.kind === "string");

describe("tokenize", () => {
  it("reads labels, brackets, operators and numbers, with lines and offsets", () => {
    const src = 'a: {\n  b?: *1 | int\n  "c-d": [...string]\n}';
    expect(lexed(src)).toEqual([
      "ident:a",
      "op::",
      "open:{",
      "ident:b",
      "op:?",
      "op::",
      "op:*",
      "number:1",
      "op:|",
      "ident:int",
      'string:"c-d"',
      "op::",
      "open:[",
      "op:...",
      "ident:string",
      "close:]",
      "close:}",
    ]);
    const tokens = tokenize(src);
    for (const t of tokens) expect(src.startsWith(t.text, t.offset), t.text).toBe(true);
    expect(tokens.find((t) => t.text === "int")).toMatchObject({ line: 2, first: false });
    expect(tokens.find((t) => t.text === '"c-d"')).toMatchObject({ line: 3, first: true });
    expect(tokens.at(-1)).toMatchObject({ kind: "eof", offset: src.length, line: 4 });
  });

  it("reads raw strings with any number of #, closing only at the same number", () => {
    const src = [
      'a: #"x " } y"#',
      'b: ##"x "# } y"##',
      'c: ###"x "## } "# y"###',
      'd: #"escaped \\#" quote"#',
      "e: #Def",
    ].join("\n");
    expect(stringsOf(src).map((t) => t.text)).toEqual([
      '#"x " } y"#',
      '##"x "# } y"##',
      '###"x "## } "# y"###',
      '#"escaped \\#" quote"#',
    ]);
    expect(lexed(src).slice(-3)).toEqual(["ident:e", "op::", "ident:#Def"]);
  });

  it("reads multi-line strings, plain and raw, as one token across lines", () => {
    const src = [
      'a: """',
      '  } a "quote" and "" two',
      '  """',
      'b: #"""',
      '  } raw """ not the end',
      '  """#',
      "c: '''",
      "  bytes '' }",
      "  '''",
      "d: 1",
    ].join("\n");
    const strings = stringsOf(src);
    expect(strings.map((t) => t.line)).toEqual([1, 4, 7]);
    expect(strings[1]?.text.endsWith('not the end\n  """#')).toBe(true);
    expect(lexed(src).filter((t) => t.startsWith("close"))).toEqual([]);
    expect(tokenize(src).find((t) => t.text === "d")).toMatchObject({ line: 10, first: true });
  });

  it("reads comments to the line end, with quotes and brackets in them", () => {
    const src = "a: 1 // it's } here\n// \"{\nb: 2";
    expect(lexed(src)).toEqual([
      "ident:a",
      "op::",
      "number:1",
      "comment:// it's } here",
      'comment:// "{',
      "ident:b",
      "op::",
      "number:2",
    ]);
  });

  it("keeps escapes and interpolations inside the string, nested strings included", () => {
    const src = 'a: "q \\" } \\(strings.Join(["x)", "}"], ")")) end" + #"r \\#(b) c"#';
    const strings = stringsOf(src);
    expect(strings.map((t) => [t.text.slice(0, 6), t.interpolated])).toEqual([
      ['"q \\" ', true],
      ['#"r \\#', true],
    ]);
    expect(strings[0]?.text.endsWith(' end"')).toBe(true);
    expect(stringsOf('a: #"no \\(x) here"#')[0]?.interpolated).toBeUndefined();
  });

  it("stops an unterminated one-line string at its line end", () => {
    expect(lexed('a: "open\nb: #"also\nc: }')).toEqual([
      "ident:a",
      "op::",
      'string:"open',
      "ident:b",
      "op::",
      'string:#"also',
      "ident:c",
      "op::",
      "close:}",
    ]);
  });
});

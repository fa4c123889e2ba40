/**
 * The one place where the versions inside Flotilla's images are pinned: the Debian suite of
 * the locally made bases, the Node.js and npm they carry (Node 20, the project's engine), and
 * the recipe numbers that change a cache key when the way an image is made changes.
 */
export interface ImagePins {
  readonly debianSuite: string;
  readonly node: string;
  readonly npm: string;
  readonly baseRecipe: number;
  readonly nodeImagesRecipe: number;
}

export const imagePins: ImagePins = {
  debianSuite: "bookworm",
  node: "20.20.2",
  npm: "10.9.9",
  baseRecipe: 1,
  nodeImagesRecipe: 1,
};

// Builds the add-in into dist/, in the layout of OfficeDev's shared-runtime
// template: one page (taskpane.html) loads both the task pane code and the
// ATTN.* custom functions, which Excel runs in that same page.
const fs = require("fs");
const path = require("path");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const CustomFunctionsMetadataPlugin = require("custom-functions-metadata-plugin");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const { Compilation, sources } = require("webpack");
const { localizeFunctions } = require("./tools/localize-functions");

const DEV_URL = "https://localhost:3000/";
const DEV_PORT = Number(process.env.npm_package_config_dev_server_port || 3000);

/** The URL dist/ is served from in production: $ADDIN_PUBLIC_URL (with a trailing slash) or the dev URL. */
function publicUrl() {
  const url = process.env.ADDIN_PUBLIC_URL;
  if (!url) return DEV_URL;
  return url.endsWith("/") ? url : `${url}/`;
}

/**
 * custom-functions-metadata writes "allowCustomDataForDataTypeAny": true,
 * which lets data types and error values into `any` parameters (office-js
 * #4385). ATTN.* takes plain numbers and words: without the flag, Excel
 * answers an error in an argument itself and never calls the function.
 */
const plainArgumentsOnly = {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap("PlainArgumentsOnly", (compilation) => {
      compilation.hooks.processAssets.tap({ name: "PlainArgumentsOnly", stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONS }, () => {
        const asset = compilation.getAsset("functions.json");
        if (!asset) return;
        const metadata = JSON.parse(asset.source.source().toString());
        delete metadata.allowCustomDataForDataTypeAny;
        delete metadata.allowErrorForDataTypeAny;
        compilation.updateAsset("functions.json", new sources.RawSource(JSON.stringify(metadata, null, 4)));
      });
    });
  },
};

/**
 * functions-es.json beside functions.json: the Spanish descriptions of every
 * function and parameter (src/i18n/functions.es.json), for the manifest's
 * es-ES and es-MX overrides of Functions.Metadata.Url. A function or parameter
 * without a Spanish description fails the build.
 */
const functionsInSpanish = {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap("FunctionsInSpanish", (compilation) => {
      const table = path.resolve(__dirname, "src/i18n/functions.es.json");
      compilation.fileDependencies.add(table);
      // After PlainArgumentsOnly (same stage, tapped later), so the Spanish file leaves out the same flags.
      compilation.hooks.processAssets.tap({ name: "FunctionsInSpanish", stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONS }, () => {
        const asset = compilation.getAsset("functions.json");
        if (!asset) return;
        try {
          const spanish = JSON.parse(fs.readFileSync(table, "utf8"));
          const metadata = localizeFunctions(JSON.parse(asset.source.source().toString()), spanish, "es");
          compilation.emitAsset("functions-es.json", new sources.RawSource(JSON.stringify(metadata, null, 4)));
        } catch (error) {
          compilation.errors.push(error);
        }
      });
    });
  },
};

/**
 * HTTPS options for the dev server. office-addin-dev-certs is optional (it
 * installs a trusted localhost certificate, which needs sudo on Linux);
 * without it webpack-dev-server makes a self-signed certificate, which Office
 * will not trust but a browser lets you accept.
 */
async function devServerHttps() {
  try {
    // Required lazily: a plain `npm run build` must work without it.
    const devCerts = require("office-addin-dev-certs");
    const { ca, key, cert } = await devCerts.getHttpsServerOptions();
    return { type: "https", options: { ca, key, cert } };
  } catch (error) {
    console.warn(`office-addin-dev-certs unavailable (${error.message.split("\n")[0]}); using a self-signed certificate.`);
    return { type: "https" };
  }
}

module.exports = async (env, options) => {
  const dev = options.mode === "development";
  const url = dev ? DEV_URL : publicUrl();
  return {
    devtool: "source-map",
    entry: {
      taskpane: "./src/taskpane/taskpane.ts",
      functions: "./src/functions/functions.ts",
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: "[name].js",
      clean: true,
    },
    resolve: {
      extensions: [".ts", ".js"],
    },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: {
            loader: "ts-loader",
            options: {
              configFile: path.resolve(__dirname, "tsconfig.json"),
              // Type-check only what the bundle uses, not every test and tool in tsconfig's "include".
              onlyCompileBundledFiles: true,
              compilerOptions: { module: "esnext" },
            },
          },
        },
      ],
    },
    plugins: [
      new CustomFunctionsMetadataPlugin({
        input: "./src/functions/functions.ts",
        output: "functions.json",
      }),
      plainArgumentsOnly,
      functionsInSpanish,
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./src/taskpane/taskpane.html",
        chunks: ["taskpane", "functions"],
        // The dev server's live reload talks to it over a WebSocket, which the pane's policy otherwise refuses.
        devServerCsp: dev ? `; connect-src 'self' wss://localhost:${DEV_PORT}` : "",
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets/*", to: "assets/[name][ext]" },
          { from: "src/taskpane/taskpane.css", to: "taskpane.css" },
          {
            from: "manifest.xml",
            to: "manifest.xml",
            transform(content) {
              return url === DEV_URL ? content : content.toString().split(DEV_URL).join(url);
            },
          },
        ],
      }),
    ],
    devServer: {
      static: { directory: path.resolve(__dirname, "dist") },
      headers: { "Access-Control-Allow-Origin": "*" },
      // Certificates are only needed when serving, never for `webpack --mode production`.
      server: env.WEBPACK_SERVE ? await devServerHttps() : "https",
      port: DEV_PORT,
    },
  };
};

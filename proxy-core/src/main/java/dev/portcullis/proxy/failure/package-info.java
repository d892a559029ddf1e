/** The closed set of ways a request can fail inside the proxy, each with its status and tag; no Netty type, so every layer may name them. */
package dev.portcullis.proxy.failure;

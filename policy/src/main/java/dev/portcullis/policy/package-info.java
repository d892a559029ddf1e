/** The policy language: compiling route policies and deciding who may pass. */
package dev.portcullis.policy;
